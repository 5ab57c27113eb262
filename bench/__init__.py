"""Benchmarks of the 評価書ポータル at national scale (issue 9).

    python -m bench                 # N = 100 and 1,000: table + bench/out/results.json
    python -m bench --large         # and N = 5,000
    python -m bench.generate --n 50 --out /tmp/c --validate   # the synthetic corpus alone

bench.generate  the seeded corpus generator (modelled on content/)
bench.child     the measured steps, each in its own process
bench.run       orchestration, baselines, table, targets
"""
