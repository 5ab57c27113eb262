"""MkDocs adapter: validates content/, then hands the core's generated pages and assets to MkDocs.

Everything of substance lives in `hyoka` (no MkDocs there); this module only translates.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import base, config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from hyoka.loader import load_corpus
from hyoka.site import Asset, Page, SiteContext, build_outputs


class HyokaConfig(base.Config):
    content_dir = c.Type(str, default="content")
    site_config_dir = c.Type(str, default="site_config")


class HyokaPlugin(BasePlugin[HyokaConfig]):
    def _root(self, config) -> Path:
        return Path(config.config_file_path).resolve().parent

    @event_priority(50)
    def on_files(self, files: Files, *, config) -> Files:
        root = self._root(config)
        corpus = load_corpus(root / self.config.content_dir, root / self.config.site_config_dir, root=root)
        if corpus.problems:
            report = "\n".join(str(p) for p in corpus.problems)
            raise PluginError(f"content/ に {len(corpus.problems)} 件の問題があります。サイトは書き出しません:\n{report}")
        for item in build_outputs(corpus, SiteContext(site_title=config.site_name)):
            if isinstance(item, Page):
                inclusion = InclusionLevel.INCLUDED if item.in_nav else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, item.path, content=item.markdown, inclusion=inclusion))
            elif isinstance(item, Asset):
                files.append(File.generated(config, item.path, content=item.content))
        return files

    def on_serve(self, server, *, config, builder):
        root = self._root(config)
        server.watch(str(root / self.config.content_dir))
        server.watch(str(root / self.config.site_config_dir))
        return server
