"""The stylesheet of the generated pages (written to assets/hyoka.css): a form-like look on top of
mkdocs-material, readable at phone width.  No fonts or images from other hosts.

Kept as a Python string so that it ships with the package without package-data configuration.
"""

CSS = r"""
/* 評価書ポータル: generated pages (hyoka.render / hyoka.pages) */
:root {
  --hy-line: #b9c0c8;
  --hy-line-soft: #dde2e7;
  --hy-label-bg: #f1f4f7;
  --hy-chosen-bg: #fff3c4;
  --hy-chosen-fg: #1b1b1b;
  --hy-concern: #a4000f;
  --hy-concern-bg: #fdecee;
  --hy-note-bg: #fff8e1;
  --hy-note-line: #b26a00;
  --hy-muted: #52585e;
}
[data-md-color-scheme="slate"] {
  --hy-line: #5b6470;
  --hy-line-soft: #3c434c;
  --hy-label-bg: #262b33;
  --hy-chosen-bg: #4a3d00;
  --hy-chosen-fg: #fff;
  --hy-concern: #ff8a95;
  --hy-concern-bg: #3d1a1e;
  --hy-note-bg: #3a2f12;
  --hy-note-line: #ffb74d;
  --hy-muted: #b8c0c8;
}

/* links are underlined, not told apart by colour alone */
.md-typeset a:not(.hy-permalink):not(.headerlink) { text-decoration: underline; text-underline-offset: .18em; }

.md-typeset .hy-text, .md-typeset .hy-longtext { white-space: pre-wrap; overflow-wrap: anywhere; }
/* any text from YAML may be one long word: it wraps, it never widens the page (also inside tables) */
.md-content__inner { overflow-wrap: anywhere; }
.md-typeset table:not([class]) td, .md-typeset td, .md-typeset th { overflow-wrap: anywhere; }
.md-typeset .hy-empty, .md-typeset .hy-muted { color: var(--hy-muted); }
.md-typeset .hy-sr {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}

/* headings and permalinks: always visible, so that an auditor sees where to copy a link */
.md-typeset .headerlink { opacity: .45; }
.md-typeset .hy-permalink {
  margin-left: .35em; color: var(--md-default-fg-color--light); text-decoration: none;
  font-weight: normal; font-size: .85em; opacity: .7;
}
.md-typeset .hy-permalink:hover, .md-typeset .hy-permalink:focus { color: var(--md-accent-fg-color); opacity: 1; }
.md-typeset .hy-h { margin: 1.2em 0 .5em; }
.md-typeset h5.hy-h { font-size: .9rem; text-transform: none; color: var(--md-default-fg-color); letter-spacing: 0; }
.md-typeset :target { scroll-margin-top: 4.5rem; }
.md-typeset .hy-row:target, .md-typeset tr:target, .md-typeset section:target, .md-typeset li:target,
.md-typeset .hy-h:target, .md-typeset p:target {
  outline: 3px solid var(--md-accent-fg-color); outline-offset: 2px; background: var(--hy-note-bg);
}

/* page head */
.md-typeset .hy-head { border-bottom: 2px solid var(--hy-line); margin-bottom: 1rem; padding-bottom: .6rem; }
.md-typeset .hy-crumbs { font-size: .75rem; margin-bottom: .4rem; }
.md-typeset .hy-kicker { margin: 0; color: var(--hy-muted); font-size: .8rem; }
.md-typeset h1.hy-title { margin: .2em 0 .3em; font-size: 1.6rem; line-height: 1.35; overflow-wrap: anywhere; }
.md-typeset .hy-docno { color: var(--hy-muted); font-size: .8rem; }
.md-typeset dl.hy-meta { display: flex; flex-wrap: wrap; gap: .4rem 1.4rem; margin: .6rem 0 0; }
.md-typeset dl.hy-meta > div { display: flex; gap: .4rem; align-items: baseline; }
.md-typeset dl.hy-meta dt { font-weight: bold; color: var(--hy-muted); font-size: .75rem; }
.md-typeset dl.hy-meta dd { margin: 0; }
.md-typeset .hy-iso { color: var(--hy-muted); font-size: .85em; }
.md-typeset .hy-ended {
  border: 3px solid var(--hy-concern); color: var(--hy-concern); background: var(--hy-concern-bg);
  padding: .5rem .8rem; margin: .5rem 0; font-size: .9rem;
}
.md-typeset .hy-ended strong, .md-typeset .hy-ended-tag { color: var(--hy-concern); }

/* summary */
.md-typeset .hy-summary {
  border: 2px solid var(--md-primary-fg-color); border-radius: .2rem; padding: .2rem 1rem .8rem;
  margin: 1rem 0 1.5rem; background: var(--md-default-bg-color);
}
.md-typeset .hy-summary h2 { margin-top: .6rem; }
.md-typeset dl.hy-sumlist { margin: 0; }
.md-typeset dl.hy-sumlist > div { display: grid; grid-template-columns: 11rem 1fr; gap: .6rem; padding: .35rem 0; border-top: 1px solid var(--hy-line-soft); }
.md-typeset dl.hy-sumlist dt { font-weight: bold; }
.md-typeset dl.hy-sumlist dd { margin: 0; min-width: 0; }
.md-typeset .hy-concern { color: var(--hy-concern); }

/* the form: label | value rows, like the printed table */
.md-typeset dl.hy-fields { margin: .4rem 0 1rem; border: 1px solid var(--hy-line); border-bottom: 0; }
.md-typeset .hy-row { display: grid; grid-template-columns: minmax(9rem, 32%) 1fr; border-bottom: 1px solid var(--hy-line); }
.md-typeset .hy-row > dt {
  background: var(--hy-label-bg); padding: .45rem .6rem; font-weight: bold; font-size: .75rem;
  border-right: 1px solid var(--hy-line); overflow-wrap: anywhere;
}
.md-typeset .hy-row > dd { margin: 0; padding: .45rem .6rem; min-width: 0; }
.md-typeset .hy-row.is-concern > dt { border-left: 4px solid var(--hy-concern); }
.md-typeset .hy-part { margin: 0 0 1.2rem; }

/* choices: ［ answer ］ ＜選択肢＞ 1） … with the chosen option marked ◉ and 「← 回答」 */
.md-typeset .hy-choice { display: flex; flex-wrap: wrap; align-items: baseline; gap: .2rem .6rem; }
.md-typeset .hy-answer { font-weight: bold; white-space: pre-wrap; }
.md-typeset .hy-options-label { color: var(--hy-muted); font-size: .75rem; }
.md-typeset ol.hy-options { list-style: none; margin: .2rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem .9rem; flex-basis: 100%; }
.md-typeset ol.hy-options > li { margin: 0; font-size: .75rem; color: var(--hy-muted); }
.md-typeset ol.hy-options > li.is-chosen {
  color: var(--hy-chosen-fg); background: var(--hy-chosen-bg); font-weight: bold;
  border: 1px solid var(--hy-note-line); border-radius: .2rem; padding: 0 .35rem;
}
.md-typeset ol.hy-options > li.is-chosen.is-concern { color: var(--hy-concern); background: var(--hy-concern-bg); border-color: var(--hy-concern); }
.md-typeset .hy-mark { margin-right: .25em; }
.md-typeset .hy-chosen-tag { margin-left: .4em; font-size: .9em; }
.md-typeset .hy-item-text { margin-top: .3rem; }

/* tick boxes */
.md-typeset ul.hy-ticks { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .2rem 1rem; }
.md-typeset ul.hy-ticks > li { margin: 0; }
.md-typeset ul.hy-ticks > li.is-unticked { color: var(--hy-muted); }
.md-typeset ul.hy-ticks > li.is-ticked { font-weight: bold; }
.md-typeset .hy-box { margin-right: .2em; }
.md-typeset .hy-na { font-weight: bold; }

/* repeated blocks as cards */
.md-typeset .hy-cards { display: grid; gap: .8rem; }
.md-typeset .hy-card { border: 1px solid var(--hy-line); border-radius: .2rem; padding: 0 .8rem .2rem; }
.md-typeset .hy-card > .hy-h { margin-top: .6rem; }
.md-typeset .hy-card.hy-risk { border-left: 4px solid var(--md-primary-fg-color); }

/* tables */
.md-typeset .hy-scroll { overflow-x: auto; margin: .5rem 0 1rem; }
.md-typeset table.hy-table { border-collapse: collapse; width: 100%; font-size: .75rem; display: table; }
.md-typeset table.hy-table caption { text-align: left; font-weight: bold; padding: .2rem 0; }
.md-typeset table.hy-table th, .md-typeset table.hy-table td { border: 1px solid var(--hy-line); padding: .35rem .5rem; vertical-align: top; text-align: left; }
.md-typeset table.hy-table thead th { background: var(--hy-label-bg); }
.md-typeset table.hy-changes td { min-width: 6rem; }

/* transcription notes */
.md-typeset .hy-note {
  margin: .35rem 0 0; padding: .3rem .5rem; border-left: 4px solid var(--hy-note-line);
  background: var(--hy-note-bg); font-size: .75rem;
}
.md-typeset .hy-note-kind { font-weight: bold; }
.md-typeset .hy-note-src { color: var(--hy-muted); }
.md-typeset ol.hy-notes > li { margin-bottom: .4rem; }
.md-typeset code.hy-path { font-size: .75em; overflow-wrap: anywhere; }

.md-typeset ul.hy-plain { list-style: none; margin-left: 0; }
.md-typeset ul.hy-plain > li { margin-left: 0; }
.md-typeset .hy-list { margin-top: 0; margin-bottom: 0; }

/* auditor findings (hyoka.findings_pages): the severity is written out; colour and symbol only add to it */
.md-typeset .hy-findings {
  border: 2px solid var(--hy-note-line); border-radius: .2rem; padding: .2rem 1rem .6rem; margin: 1rem 0 1.5rem;
}
.md-typeset .hy-findings h2 { margin-top: .6rem; }
.md-typeset ol.hy-findings-list { margin: .3rem 0 0 1.2rem; }
.md-typeset li.hy-finding { margin-bottom: .7rem; }
.md-typeset li.hy-finding p { margin: .15rem 0; }
.md-typeset .hy-finding-evidence q { quotes: "「" "」"; }
.md-typeset .hy-finding-label { font-weight: bold; color: var(--hy-muted); }
.md-typeset .hy-sev { display: inline-block; padding: 0 .35rem; border: 1px solid; border-radius: 3px; font-weight: bold; white-space: nowrap; }
.md-typeset .hy-sev-act { color: var(--hy-concern); background: var(--hy-concern-bg); }
.md-typeset .hy-sev-check { color: #6e4300; background: var(--hy-note-bg); }
[data-md-color-scheme="slate"] .md-typeset .hy-sev-check { color: var(--hy-note-line); }
.md-typeset .hy-sev-info { color: var(--hy-muted); }

/* phones: labels above values, table rows as stacked blocks */
@media screen and (max-width: 44.9375em) {
  .md-typeset .hy-row { grid-template-columns: 1fr; }
  .md-typeset .hy-row > dt { border-right: 0; border-bottom: 1px solid var(--hy-line-soft); }
  .md-typeset dl.hy-sumlist > div { grid-template-columns: 1fr; gap: .1rem; }
  .md-typeset h1.hy-title { font-size: 1.3rem; }
  .md-typeset table.hy-stack, .md-typeset table.hy-stack tbody, .md-typeset table.hy-stack tr,
  .md-typeset table.hy-stack td { display: block; width: 100%; }
  .md-typeset table.hy-stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .md-typeset table.hy-stack tr { border: 1px solid var(--hy-line); margin-bottom: .6rem; }
  .md-typeset table.hy-stack td { border: 0; border-bottom: 1px solid var(--hy-line-soft); }
  .md-typeset table.hy-stack td::before {
    content: attr(data-label); display: block; font-weight: bold; color: var(--hy-muted); font-size: .7rem;
  }
  .md-typeset .hy-card { padding: 0 .5rem .2rem; }
}

@media print {
  .md-typeset .hy-permalink, .md-typeset .headerlink { display: none; }
}
"""
