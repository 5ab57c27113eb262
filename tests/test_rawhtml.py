"""The plugin hands MkDocs our generated pages with their raw HTML blocks replaced by placeholders and
puts the blocks back afterwards (hyoka.rawhtml.split_raw_blocks, called by the plugin): the result must be exactly a
full Markdown render of the page — same HTML, same table of contents, same anchor ids for MkDocs' link
validation — for every generated page of the test site (fixtures with hostile text + real content/).
"""

from __future__ import annotations

import datetime

import markdown
from mkdocs.config import load_config
from mkdocs.structure.pages import _HTMLHandler
from mkdocs.utils import meta

from hyoka.findings import run_rules
from hyoka.loader import load_corpus
from hyoka.site import Page, SiteContext
from hyoka.views import build_outputs
from hyoka.rawhtml import fill_raw_blocks, raw_anchor_ids, split_raw_blocks


def _anchor_ids(text: str) -> set:
    h = _HTMLHandler()
    h.feed(text)
    h.close()
    return h.present_anchor_ids


def test_placeholder_render_equals_full_render(built_site):
    root = built_site.root
    cfg = load_config(str(root / "mkdocs.yml"), plugins=[])
    corpus = load_corpus(root / "content", root / "site_config", root=root)
    ctx = SiteContext(index_dir=str(root / ".hyoka-index"), site_config_dir=str(root / "site_config"),
                      findings=run_rules(corpus.assessments, today=datetime.date.today()))
    outputs = build_outputs(corpus, ctx)
    n_pages = n_blocks = 0
    for page in (o for o in outputs if isinstance(o, Page)):
        body, _ = meta.get_data(page.markdown)
        full = markdown.Markdown(extensions=cfg.markdown_extensions, extension_configs=cfg.mdx_configs)
        expected = full.convert(body)
        skeleton, blocks = split_raw_blocks(body)
        short = markdown.Markdown(extensions=cfg.markdown_extensions, extension_configs=cfg.mdx_configs)
        got = fill_raw_blocks(short.convert(skeleton), blocks)
        assert got == expected, page.path
        assert short.toc_tokens == full.toc_tokens, page.path
        assert _anchor_ids(skeleton) | raw_anchor_ids(blocks) == _anchor_ids(body), page.path
        n_pages += 1
        n_blocks += len(blocks)
    assert n_pages > 20 and n_blocks > 5 * n_pages


def test_a_missing_placeholder_is_detected():
    skeleton, blocks = split_raw_blocks("## a { #a }\n\n<div id=\"x\">1</div>\n\n<section>2</section>")
    assert len(blocks) == 2 and "<div" not in skeleton
    assert fill_raw_blocks("<!--hyoka-raw-0-->", blocks) is None  # the page falls back to a full render
    assert fill_raw_blocks("<!--hyoka-raw-0-->\n<!--hyoka-raw-1-->", blocks) == "<div id=\"x\">1</div>\n<section>2</section>"
    assert raw_anchor_ids(blocks) == {"x"}
