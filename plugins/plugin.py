"""MkDocs adapter: validates content/, then hands the core's generated pages and assets to MkDocs.

Everything of substance lives in `hyoka` (no MkDocs there); this module only translates: the core's views
(`hyoka.views`, plus the Whoosh-backed views of hyoka_search) become MkDocs files, its static files
(`hyoka.assets`) are added in on_config (linked on every page) and on_files.

Order of events (MkDocs 1.6 `build`): on_config → on_pre_build → *clean site_dir* → on_files → …
All the work that can fail (reading and validating content/, rendering every page) therefore runs in
`on_pre_build`: an invalid content/ stops the build with the validator's messages before MkDocs
touches site_dir.  `on_files` only adds the ready pages to MkDocs' file list.

Publishing is atomic (hyoka.publish): for `mkdocs build`, on_config points site_dir and the index at
fresh folders; on_post_build switches the live `site/` and index to them in one step, and only when the
build is clean (in strict mode, a logged warning counts as a failure, as MkDocs would decide after us);
on_build_error throws the new folders away.  A killed build leaves the previous site and index whole.

A rebuild does not render an unchanged generated page again: its HTML and what MkDocs' render set on the page
(toc, title, anchor ids, links to anchors, the files its links resolved to, what it logged) are a disk-cache entry
(hyoka.cache kind `html`, keyed in on_page_markdown by the page's Markdown, URL, config and nav); a hit stands in
for `page.render` and on_page_content restores the page (tests/test_htmlcache.py: the site equals a clean build).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from mkdocs.config import base, config_options as c
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from hyoka import assets
from hyoka.cache import DocCache
from hyoka.documents import corpus_documents, stream_documents
from hyoka.findings import run_rules
from hyoka.loader import load_corpus
from hyoka import oserrors
from hyoka.oserrors import os_error_of
from hyoka.publish import Publication
from hyoka.safepath import UnsafePath, Within
from hyoka.rawhtml import fill_raw_blocks, raw_anchor_ids, split_raw_blocks
from hyoka.site import Asset, Page, SiteContext
from hyoka.views import build_outputs, compare
from hyoka_search import sitecheck

from hyoka_search.build import BuildReport, IndexBuildError, start_index

log = get_plugin_logger(__name__)

# The view that reads the Whoosh index (the build check of the browser index), added to the core's views (hyoka.views.VIEWS) before the home page.
EXTRA_VIEWS = (sitecheck,)


class _PositiveInt(c.Type):
    """A whole number ≥ 1 (not a bool): mkdocs.yml is input too."""

    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise base.ValidationError(f"1 以上の整数を指定してください（指定された値: {value!r}）")
        return value


class HyokaConfig(base.Config):
    content_dir = c.Type(str, default="content")
    site_config_dir = c.Type(str, default="site_config")
    progress_every = c.Type(int, default=200)  # log a progress line every N documents
    index_dir = c.Type(str, default=".hyoka-index")  # the Whoosh index (project root), updated on every build
    index_background_min_docs = c.Type(int, default=2000)  # write the index in a second process from this many changed documents
    atomic = c.Type(bool, default=True)  # publish site/ and the index atomically (mkdocs build)
    cache_dir = c.Type(str, default=".hyoka-cache")  # per-document disk cache (hyoka.cache); "" = none
    compare_part = _PositiveInt(default=compare.PART_ASSESSMENTS)  # assessments per comparison part page (hyoka.views.compare)


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class AnchorIds:
    """A page's anchor ids, packed into one string: all that MkDocs asks of `Page.present_anchor_ids` after the
    page is written is `anchor in ids` (validate_anchor_links), and a set of every id of every page (tens of
    thousands of pages, hundreds of ids each) would hold most of the memory MkDocs keeps per page."""

    __slots__ = ("_packed", "_count")

    def __init__(self, ids) -> None:
        ids = sorted(ids)
        self._packed = "\0" + "\0".join(ids) + "\0"
        self._count = len(ids)

    def __contains__(self, anchor: object) -> bool:
        return bool(self._count) and isinstance(anchor, str) and "\0" not in anchor and f"\0{anchor}\0" in self._packed

    def __iter__(self):
        return iter(self._packed[1:-1].split("\0") if self._count else ())

    def __len__(self) -> int:
        return self._count


def _plain(value, depth: int = 0):
    """A config value as plain JSON values, for the digest of what shapes MkDocs' output (no memory addresses:
    the same config gives the same digest in every process)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if depth > 8:
        return type(value).__qualname__
    if isinstance(value, BasePlugin):
        return {"plugin": f"{type(value).__module__}.{type(value).__qualname__}", "config": _plain(value.config, depth + 1)}
    if hasattr(value, "dirs") and hasattr(value, "name") and isinstance(value, Mapping):  # mkdocs.theme.Theme
        return {"theme": value.name, "dirs": [str(d) for d in value.dirs], "vars": _plain(dict(value), depth + 1)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v, depth + 1) for v in value), key=repr)
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    fields = getattr(value, "__dict__", None)
    if isinstance(fields, dict) and all(v is None or isinstance(v, (str, int, float, bool)) for v in fields.values()):
        return {"object": type(value).__qualname__, **{str(k): v for k, v in fields.items()}}
    text = str(value)
    return type(value).__qualname__ + ("" if " at 0x" in text else ":" + text)


_OUTPUT_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions")


def _versions() -> list[str]:
    out = []
    for name in _OUTPUT_PACKAGES:
        try:
            out.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name} -")
    return out


def _toc_tokens(items) -> list:
    """page.toc as the tokens mkdocs.structure.toc.get_toc makes it from (title, id, level, children)."""
    return [{"level": i.level, "id": i.id, "name": i.title, "children": _toc_tokens(i.children)} for i in items]


class _PageRecorder(logging.Handler):
    """While MkDocs renders one generated page: the files it looks up (the targets of the page's Markdown links:
    whether they exist, their URL and inclusion decide the HTML and MkDocs' warnings) and what it logs."""

    def __init__(self, files: Files, key: str) -> None:
        super().__init__(level=logging.NOTSET)
        self.key = key
        self.files = files
        self.lookups: dict[str, list] = {}
        self.records: list[list] = []
        lookup = files.get_file_from_path  # (the bound method of the class)

        def recorded(path: str):
            f = lookup(path)
            self.lookups.setdefault(path, _file_facts(f))
            return f

        files.get_file_from_path = recorded  # an attribute of this Files object only, removed by stop()
        logging.getLogger("mkdocs").addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append([record.name, record.levelno, record.getMessage()])

    def stop(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self)
        self.files.__dict__.pop("get_file_from_path", None)


def _inside(inside_site: Within, path: str) -> Path:
    """`path` in the site folder, or the build stops: a generated file must stay inside the site."""
    try:
        return inside_site(path)
    except UnsafePath as exc:
        raise PluginError(f"hyoka: {exc}") from None


def _file_facts(f: File | None) -> list | None:
    return None if f is None else [f.url, f.inclusion.name]


class _CachedPage:
    """A generated page whose HTML comes from the `html` disk cache: it stands in for `page.render` (MkDocs
    1.6 `_populate_page` calls it right after on_page_markdown), so Python-Markdown never sees the page."""

    def __init__(self, page, facts: dict, html: bytes, markdown: str) -> None:
        self.page, self.facts, self.html, self.markdown = page, facts, html, markdown
        self.rendered = False

    def render(self, config, files) -> None:
        self.rendered = True
        self.page.__dict__.pop("render", None)  # the page's own method again
        self.page.content = ""  # (on_page_content puts the cached HTML in)


def _valid_facts(f) -> bool:
    return (isinstance(f, dict) and isinstance(f.get("title"), (str, type(None))) and isinstance(f.get("toc"), list)
            and isinstance(f.get("anchors"), list) and all(isinstance(a, str) for a in f["anchors"])
            and isinstance(f.get("links"), (dict, type(None))) and isinstance(f.get("lookups"), list)
            and isinstance(f.get("log"), list) and isinstance(f.get("h1"), bool))


class HyokaPlugin(BasePlugin[HyokaConfig]):
    def __init__(self) -> None:
        self._outputs: list[Page | Asset] = []  # the generated pages (and linked assets), handed to MkDocs in on_files
        self._assets: list[Asset] = []  # the generated assets: written into the site by the plugin (on_post_build)
        self._generated: set[str] = set()  # src_uri of our generated pages
        self._raw: dict[str, tuple[str, list[str]]] = {}  # src_uri → (its Markdown, its raw blocks) while rendering
        self._command = "build"
        self._publication: Publication | None = None
        self._index_dir: Path | None = None
        self._warnings: _WarningCounter | None = None
        self._index_job = None  # hyoka_search.build.IndexJob while the index is being written
        self.timings: dict[str, float] = {}  # of the last build: seconds per generator (hyoka.site)
        self.index_report: dict = {}  # of the last build: in a second process?, its peak memory (MB)
        self.cache = None  # hyoka.cache.DocCache of the last build (its stats: hits and misses per step)
        self._held: Path | None = None  # where generated pages' HTML waits between MkDocs' two passes (None: in memory)
        self.held_pages = 0  # of the last build: pages whose HTML waited on disk
        self.mkdocs_files = 0  # of the last build: files handed to MkDocs (pages, static files, linked assets)
        self.written_assets = 0  # of the last build: generated files the plugin wrote itself (not MkDocs files)
        self._shape: str | None = None  # digest of all that shapes MkDocs' HTML of a page besides its Markdown (on_nav)
        self._hits: dict[str, _CachedPage] = {}  # src_uri → its cached HTML, between on_page_markdown and on_page_content
        self._recorder: _PageRecorder | None = None  # the page being rendered (its HTML goes to the cache)

    def _root(self, config) -> Path:
        return Path(config.config_file_path).resolve().parent

    def on_startup(self, *, command, dirty) -> None:
        self._command = command

    def on_config(self, config):
        # The core's stylesheets and scripts (hyoka/static/, hyoka.assets) on every page; the files are added in on_files.
        for path in assets.EVERY_PAGE_CSS:
            if path not in config.extra_css:
                config.extra_css.append(path)
        for path in assets.EVERY_PAGE_JS:
            if path not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(path)
        root = self._root(config)
        self._index_dir = root / self.config.index_dir
        if self._command != "build" or not self.config.atomic:
            return config
        live_site = Path(config.site_dir)
        self._publication = Publication([live_site, self._index_dir], seed_from_live=(self._index_dir,),
                                        store=root / ".publish")
        try:
            new = self._publication.start()  # waits while another build of this project publishes
        except OSError as exc:
            self._publication = None
            raise Abort(oserrors.describe(exc)) from None
        config.site_dir = str(new[live_site.absolute()])
        self._index_dir = new[self._index_dir.absolute()]
        self._warnings = _WarningCounter()
        logging.getLogger("mkdocs").addHandler(self._warnings)
        log.info(f"サイトを一時フォルダに作成し、成功したときだけ {live_site} を差し替えます")
        return config

    def _finish(self) -> None:
        if self._warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self._warnings)

    @event_priority(-100)  # after every other plugin's post-build work
    def on_post_build(self, *, config) -> None:
        aborting = self._publication is not None and config.strict and self._warnings and self._warnings.count
        if not aborting:
            self._write_assets(config)
        if self.cache is not None and self.cache.hits("html") + self.cache.misses("html"):
            log.info(f"生成ページの HTML をキャッシュから再利用: {self.cache.hits('html')}/"
                     f"{self.cache.hits('html') + self.cache.misses('html')}")
        if self._publication is None:
            return
        self._finish()
        if aborting:
            self._publication.abort()
            self._publication = None
            return  # MkDocs aborts the strict build right after this; the live site stays as it was
        self._publication.commit()
        self._publication = None
        log.info("サイトと索引を公開しました（差し替え完了）")
        self._sweep_cache()

    def _sweep_cache(self) -> None:
        """After a successful build: the cache keeps only what this build used (hyoka.cache.DocCache.sweep)."""
        if self.cache is not None:
            self.cache.sweep()

    def on_build_error(self, *, error) -> None:
        self._stop_recording()
        self._hits.clear()
        if self._index_job is not None:
            self._index_job.cancel()
            self._index_job = None
        if self._publication is not None:
            self._finish()
            self._publication.abort()
            self._publication = None
        ose = os_error_of(error)
        if ose is not None:  # disk full, no permission …: one line that says what to do, no traceback
            raise Abort(oserrors.describe(ose)) from None

    def _index_ready(self) -> None:
        job = self._index_job
        if job is None:
            return
        try:
            indexed = job.wait()
        except IndexBuildError as exc:
            raise PluginError(str(exc)) from None
        finally:
            self._index_job = None
        self.index_report = {"background": job.background, "child_peak_rss_mb": job.child_peak_rss_mb,
                             "seconds": indexed.stats.seconds}
        log.info(indexed.stats.summary())
        if indexed.unknown:
            log.warning(indexed.unknown_message())

    def _progress(self, done: int, total: int) -> None:
        log.info(f"ページを生成しています: {done}/{total} 文書")

    @event_priority(50)
    def on_pre_build(self, *, config) -> None:
        root = self._root(config)
        site_config = root / self.config.site_config_dir
        cache = DocCache.for_project(root, self.config.cache_dir) if self.config.cache_dir else None
        if self.config.cache_dir and cache is None:
            log.info(f"{self.config.cache_dir} がプロジェクトの外を指すので、キャッシュを使いません")
        self.cache = cache
        corpus = load_corpus(root / self.config.content_dir, site_config, root=root, cache=cache)
        if corpus.problems:
            report = "\n".join(str(p) for p in corpus.problems)
            raise PluginError(f"content/ と site_config/ に {len(corpus.problems)} 件の問題があります。サイトは書き出しません:\n{report}")
        if not config.use_directory_urls:
            raise PluginError("hyoka: use_directory_urls: true が必要です（ページの URL とアンカーは hyoka.anchors が決めます）")
        index_dir = self._index_dir or root / self.config.index_dir
        findings = run_rules(corpus.assessments, today=datetime.date.today(), cache=cache)  # once per build: pages, data, index
        registry = corpus.site_config.companies  # site_config/ read and validated once, by load_corpus
        # once per build (Whoosh and the site search): streamed into the work area and read back from there on each
        # pass (hyoka.documents.DocStream: the build never holds them all); a list when there is no work area
        work = self._publication.work_dir if self._publication else None
        documents = (stream_documents(corpus, registry, findings, work / "index-documents.jsonl") if work is not None
                     else corpus_documents(corpus, registry, findings))
        # The index is written in a second process while the pages are rendered (a small update: at once).
        job = start_index(corpus, site_config, index_dir, findings=findings, docs=documents, registry=registry,
                          background_min_docs=self.config.index_background_min_docs,
                          work_dir=work)
        if isinstance(job, BuildReport):
            raise PluginError("site_config/companies.yaml の問題:\n" + "\n".join(job.problems))
        self._index_job = job
        if job.background:
            log.info(f"索引を別のプロセスで作成しています（{len(documents)} 件）")
        ctx = SiteContext(
            index_dir=str(index_dir),
            site_config_dir=str(site_config),
            site_title=config.site_name,
            progress=self._progress,
            progress_every=self.config.progress_every,
            description=corpus.site_config.portal.description,
            findings=findings,
            documents=documents,
            index_ready=self._index_ready,
            work_dir=str(work) if work is not None else None,
            compare_part=self.config.compare_part,
        )
        log.info(f"評価書 {len(corpus.assessments)} 件、審議会記録 {len(corpus.council_records)} 件を読み込みました")
        try:
            # A published build streams its pages and assets into its version folder's work area (removed when
            # it is published); MkDocs then reads each page from there: the generated site is never held in memory.
            sink = self._publication.work_dir / "generated" if self._publication and self._publication.work_dir else None
            outputs = build_outputs(corpus, ctx, extra=EXTRA_VIEWS, sink=sink)
            self._index_ready()  # (if no generator read the index)
        except UnsafePath as exc:
            job.cancel()
            self._index_job = None
            raise PluginError(f"hyoka: {exc}") from None
        except BaseException:
            job.cancel()
            self._index_job = None
            raise
        self.timings = dict(ctx.timings)
        if cache is not None:
            log.info(cache.summary())
            if cache.write_error:
                log.info(f"キャッシュを書き込めませんでした（次のビルドは計算し直します）: {cache.write_error}")
        log.debug("生成にかかった時間: " + "、".join(f"{k} {v:.1f} 秒" for k, v in self.timings.items()))
        clashes = [o.path for o in outputs if isinstance(o, Page) and (Path(config.docs_dir) / o.path).exists()]
        if clashes:
            raise PluginError(f"hyoka: docs/ のファイルが生成ページと重なります（docs/ から削除してください）: {', '.join(clashes)}")
        # Pages go through MkDocs; assets (JSON twins, data files, the browser index: ≈ 18 per assessment) do not:
        # MkDocs would keep a File object of each until the build ends (≈ 1.2 KB each: 650 MB at 30,000
        # assessments) only to copy its bytes.  The plugin writes them itself (_write_assets).
        # (Asset.linked: the few a page's Markdown links to stay MkDocs files, so that MkDocs rewrites those links.)
        self._outputs = [o for o in outputs if isinstance(o, Page) or o.linked]
        self._assets = [o for o in outputs if isinstance(o, Asset) and not o.linked]

    @event_priority(50)
    def on_files(self, files: Files, *, config) -> Files:
        self._generated = set()
        self._hits.clear()
        self._stop_recording()
        work = self._publication.work_dir if self._publication is not None else None
        self._held = work / "held-html" if work is not None else None
        self.held_pages = 0
        inside_site = Within(config.site_dir)
        for path, source in assets.files():  # the core's static files, as they are
            files.append(File.generated(config, path, abs_src_path=str(source)))
        for item in self._outputs:
            source = {"abs_src_path": str(item.source)} if item.source is not None else None
            if isinstance(item, Page):
                inclusion = InclusionLevel.INCLUDED if item.in_nav else InclusionLevel.NOT_IN_NAV
                f = File.generated(config, item.path, inclusion=inclusion, **(source or {"content": item.markdown}))
                self._generated.add(item.path)
            else:  # an asset a page links to (Asset.linked)
                f = File.generated(config, item.path, **(source or {"content": item.content}))
            _inside(inside_site, f.dest_uri)  # the file MkDocs will write
            files.append(f)
        self.mkdocs_files = len(files)  # of the last build: the files MkDocs itself handles (it keeps each until the end)
        taken = {f.dest_uri for f in files}  # docs/ files, the core's static files, the generated pages
        for item in self._assets:
            _inside(inside_site, item.path)  # the file the plugin will write (_write_assets)
            if item.path in taken:
                raise PluginError(f"hyoka: 生成するファイル {item.path} が docs/ のファイルと重なります（docs/ から削除してください）")
        return files

    def _write_assets(self, config) -> None:
        """The generated assets into the site folder: moved from the build's work folder where they were streamed
        (the same file system: a rename), else written; what MkDocs did with a File of each, without the File."""
        inside_site = Within(config.site_dir)
        self.written_assets = len(self._assets)
        for item in self._assets:
            target = _inside(inside_site, item.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            if item.source is not None:
                try:
                    os.replace(item.source, target)
                except OSError:  # another file system
                    shutil.copyfile(item.source, target)
            else:
                target.write_bytes(item.content)
        self._assets = []

    # ---- the `html` disk cache: an unchanged generated page skips split_raw_blocks, Python-Markdown and fill ----
    # Key: the page's Markdown, meta, src_uri, URL, destination and inclusion, and `_shape` (the resolved config,
    # the nav, the versions of MkDocs, Material, Markdown and this module, the log level; the code version is in
    # every key).  What else MkDocs' render reads — the files the page's links point to — is recorded with the
    # entry (`lookups`) and checked on a hit; what it logged is logged again, so its warnings stay the same.

    @event_priority(-100)  # after other plugins changed the nav
    def on_nav(self, nav, *, config, files):
        self._shape = None
        if self.cache is None:
            return nav

        def walk(items) -> list:
            out = []
            for item in items:
                f = getattr(item, "file", None)
                out.append([type(item).__name__, item.title, getattr(item, "url", None), f.src_uri if f else None,
                            walk(item.children) if getattr(item, "children", None) else []])
            return out

        config_plain = {k: _plain(v) for k, v in config.items() if k != "site_dir"}  # (a fresh folder every build)
        pages_log = logging.getLogger("mkdocs.structure.pages").getEffectiveLevel()
        self._shape = hashlib.blake2b(json.dumps(
            [config_plain, walk(nav.items), _versions(), pages_log, Path(__file__).read_bytes().hex()],
            ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"), digest_size=20).hexdigest()
        return nav

    def _html_key(self, markdown: str, page) -> str | None:
        if self.cache is None or self._shape is None:
            return None
        f = page.file
        meta = json.dumps(page.meta, ensure_ascii=False, sort_keys=True, default=str)
        return self.cache.key("html", self._shape, f.src_uri, f.url, f.dest_uri, f.inclusion.name, meta, markdown)

    def _cached_html(self, key: str, page, markdown: str, files) -> _CachedPage | None:
        got = self.cache.get_html(key)
        if got is None:
            return None
        facts, html = got
        if not _valid_facts(facts) or any(
                not (isinstance(x, list) and len(x) == 2 and isinstance(x[0], str))
                or _file_facts(files.get_file_from_path(x[0])) != x[1] for x in facts["lookups"]):
            self.cache.reject("html")  # a linked file appeared, went or moved: render again
            return None
        return _CachedPage(page, facts, html, markdown)

    def _stop_recording(self) -> _PageRecorder | None:
        rec, self._recorder = self._recorder, None
        if rec is not None:
            rec.stop()
        return rec

    @event_priority(-100)  # last: the key is the Markdown MkDocs renders, after any other plugin's change
    def on_page_markdown(self, markdown, *, page, config, files):
        self._stop_recording()  # (a page whose render failed)
        if page.file.src_uri not in self._generated:
            return markdown
        key = self._html_key(markdown, page)
        if key is not None:
            hit = self._cached_html(key, page, markdown, files)
            if hit is not None:
                self._hits[page.file.src_uri] = hit
                page.render = hit.render  # this page only; MkDocs calls it next (and the Markdown is kept: a
                return markdown  # render by anyone else gives the same page, just slower)
            self._recorder = _PageRecorder(files, key)
        skeleton, blocks = split_raw_blocks(markdown)
        if not blocks:
            return markdown
        self._raw[page.file.src_uri] = (markdown, blocks)
        return skeleton

    def on_page_content(self, html, *, page, config, files):
        hit = self._hits.pop(page.file.src_uri, None)
        if hit is not None:
            page.__dict__.pop("render", None)
            if hit.rendered:
                return self._restore(hit, page, files)
            return self._hold(html, page)  # MkDocs rendered the whole Markdown itself
        rec = self._stop_recording()
        held = self._raw.pop(page.file.src_uri, None)
        if held is None:
            out = html
        else:
            markdown, blocks = held
            page.markdown = markdown
            out = fill_raw_blocks(html, blocks)
            if out is None:  # a placeholder did not come through as it went in: render the page in full
                page.render(config, files)
                out = page.content
            else:
                page.present_anchor_ids = (page.present_anchor_ids or set()) | raw_anchor_ids(blocks)
        if rec is not None and out is not None:
            self._store(rec, page, out)
        return self._hold(out, page)

    def _store(self, rec: _PageRecorder, page, html: str) -> None:
        links = page.links_to_anchors
        facts = {
            "title": page._title_from_render,
            "toc": _toc_tokens(page.toc or []),
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
            "lookups": [[path, got] for path, got in rec.lookups.items()],
            "log": rec.records,
            "h1": "<h1" in html,
        }
        self.cache.put_html(rec.key, facts, html)

    def _restore(self, hit: _CachedPage, page, files) -> str:
        """The page as MkDocs' render and our fill left it in the build that wrote the entry."""
        facts = hit.facts
        page.markdown = hit.markdown
        page._title_from_render = facts["title"]
        page.toc = get_toc(facts["toc"])
        page.present_anchor_ids = set(facts["anchors"])
        if facts["links"] is not None:
            links = {}
            for src_uri, anchors in facts["links"].items():
                target = files.get_file_from_path(src_uri)
                if target is not None:
                    links[target] = dict(anchors)
            page.links_to_anchors = links
        for name, level, message in facts["log"]:
            logging.getLogger(name).log(level, message)
        return self._hold(hit.html, page, h1=facts["h1"])

    # MkDocs renders every page's Markdown first and writes the pages afterwards, so it would hold the HTML of
    # the whole site at once.  A generated page's HTML waits on disk instead (in the build's work folder, next to
    # its Markdown) and the page holds a marker; on_post_page puts the HTML back into the theme's output.
    # (Material's content.html adds the title as <h1> when page.content has no "<h1": the marker says whether it has.)
    HELD_MARKS = ("<!--hyoka:held-content-->", "<!--hyoka:held-content <h1-->")

    def _hold(self, html: str | bytes, page, h1: bool | None = None) -> str:
        """`html`: the page's HTML (bytes: UTF-8, from the html cache, whose `h1` says whether it has "<h1")."""
        if self._held is None or page.file.src_uri not in self._generated or not html:
            return html.decode("utf-8") if isinstance(html, bytes) else html
        target = self._held / (page.file.src_uri + ".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(html, bytes):
            target.write_bytes(html)
        else:
            target.write_text(html, encoding="utf-8")
            h1 = "<h1" in html
        self.held_pages += 1
        page.markdown = None  # read again by no one: the Markdown is on disk too
        return self.HELD_MARKS[bool(h1)]

    def _release(self, output: str, page) -> str:
        mark = page.content
        if self._held is None or page.file.src_uri not in self._generated or mark not in self.HELD_MARKS:
            return output
        target = self._held / (page.file.src_uri + ".html")
        html = target.read_text(encoding="utf-8")
        target.unlink()
        head, found, tail = output.partition(mark)
        if not found:  # the theme did not show page.content: nothing to put back
            return output
        return head + html + tail

    @event_priority(-100)
    def on_post_page(self, output, *, page, config):
        output = self._release(output, page)
        if page.file.src_uri in self._generated:  # written next; only the page being built reads them
            page.content = None
            page.markdown = None
            page.toc = []  # (its headings are in the written HTML; MkDocs keeps every Page until the build ends)
            if page.present_anchor_ids:  # kept for MkDocs' check of links to anchors, after every page is written
                page.present_anchor_ids = AnchorIds(page.present_anchor_ids)
        return output

    def on_serve(self, server, *, config, builder):
        root = self._root(config)
        server.watch(str(root / self.config.content_dir))
        server.watch(str(root / self.config.site_config_dir))
        return server
