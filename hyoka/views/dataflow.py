"""The data-flow picture of one assessment (issue 16): 入手元 → 特定個人情報ファイル (保管期間) → 委託先 / 提供先 / 移転先.

`flow(a)` reads only what the YAML holds and returns plain values: per file (a *lane*) its sources, the
file with its 保管期間, and its recipients in three groups (委託先 with 再委託, 提供先, 移転先), each value
with the anchor of the item on the assessment page (hyoka.anchors, or the model path's id as
hyoka.views.assessment writes it).  A value that is null says why, from the transcription notes on it: 「判読不能」,
「非公表」, 「空欄」, or 「記載なし（転記メモ参照）」 for another note; a value with a 「曖昧」 note says so.
Nothing is inferred.

`layout(flow, narrow)` computes the picture's boxes, lines of text and coordinates in Python, once for a
wide screen (three columns, left to right) and once for a phone (one column, top to bottom); the markup
is in templates/dataflow.html (autoescaped: text from content/ is never markup).  Text is wrapped by an
estimate of its width (full-width characters 1 em, others 0.6 em) and cut with 「…」 after a few lines;
the full text is in the title of each box's link and in the text alternative under the picture.

No MkDocs here.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from markupsafe import Markup

from .. import anchors as A
from .. import glossary as G
from .. import schema as S
from ..htmlkit import rel_url
from ..templating import macros

MAX_ITEMS = 5  # recipients per group drawn in the picture; the rest are 「ほか n 件」 (the list has them all)


# ---- the flow as values ---------------------------------------------------------------------------


@dataclasses.dataclass
class Item:
    text: str  # the value as printed, or why there is none (gap)
    href: str  # "#anchor" on the assessment page
    gap: bool = False  # the value is missing: `text` says why
    flag: str = ""  # 「曖昧」 when a note says the reading is uncertain
    sub: list[str] = dataclasses.field(default_factory=list)  # further lines (委託事項, 再委託)


@dataclasses.dataclass
class Group:
    kind: str  # "entrust" | "provide" | "transfer" | "none"
    title: str  # 委託先 / 提供先 / 移転先 / 委託・提供・移転
    count: str  # 「3件」, 「件数は空欄」, or the status (委託しない …)
    href: str
    items: list[Item]
    more: Item | None = None  # a link to the full list (別紙の一覧 …)

    @property
    def head(self) -> str:
        """The group's line: 「委託先　3件」, 「委託しない」, 「提供・移転: 行っていない」, 「委託: 空欄」."""
        if self.kind != "none":
            return f"{self.title}　{self.count}"
        return self.count if self.count.startswith(self.title) else f"{self.title}: {self.count}"


@dataclasses.dataclass
class Lane:
    no: int
    file: Item
    retention: Item
    sources: list[Item]
    groups: list[Group]


@dataclasses.dataclass
class Flow:
    lanes: list[Lane]
    summary: str  # one sentence per file, for the picture's <desc>


class _Notes:
    def __init__(self, notes: list[S.TranscriptionNote], doc: S.Assessment | None = None):
        self.notes = notes
        self.doc = doc

    def noted(self, path: str) -> bool:
        return any(n.path == path or n.path.startswith(path + ".") or n.path.startswith(path + "[") for n in self.notes)

    def href(self, *paths: str) -> str:
        """"#id" of the first of `paths` that the page shows (hyoka.views.assessment: a field is shown when it and its
        containers have a value, or a note names it); the file's own section otherwise."""
        for path in paths:
            if self.shown(path):
                return "#" + _path_id(path)
        f = int(re.match(r"files\[(\d+)\]", paths[0]).group(1)) + 1 if paths and paths[0].startswith("files[") else 1
        return "#" + A.file(f)

    def shown(self, path: str) -> bool:
        obj: object = self.doc
        steps = re.findall(r"\.?([A-Za-z_]+)|\[(\d+)\]", path)
        for i, (name, index) in enumerate(steps):
            if obj is None:
                return False
            if name:
                obj = getattr(obj, name, None)
            else:
                seq = obj if isinstance(obj, list) else []
                obj = seq[int(index)] if int(index) < len(seq) else None
            last = i == len(steps) - 1
            if obj in (None, [], {}) and not (last and self.noted(path) and obj is None):
                return False
        return True

    def gap(self, path: str) -> str:
        """Why a value at `path` is null.  Only a note on the value itself (or below it) names the reason
        (判読不能 first, then 非公表, 空欄); a note on a block above it, which may concern something else,
        is pointed to as 「記載なし（転記メモ参照）」; no note at all: 「空欄」."""
        own = [n.kind for n in self.notes if n.path == path or n.path.startswith(path + ".") or n.path.startswith(path + "[")]
        for kind in ("判読不能", "非公表", "空欄"):
            if kind in own:
                return kind
        above = any(path.startswith(n.path + ".") or path.startswith(n.path + "[") for n in self.notes)
        return "記載なし（転記メモ参照）" if own or above else "空欄"

    def flag(self, path: str) -> str:
        exact = [n.kind for n in self.notes if n.path == path or n.path.startswith(path + ".") or n.path.startswith(path + "[")]
        return "曖昧" if "曖昧" in exact else ""


def _path_id(path: str) -> str:
    from .parts import path_id

    return path_id(path)


def _value(v: str | None, path: str, href: str, notes: _Notes) -> Item:
    if v is None or (isinstance(v, str) and not v.strip()):
        return Item(notes.gap(path), href, gap=True)
    return Item(str(v), href, flag=notes.flag(path))


def _sources(f: int, pf: S.PersonalInfoFile, notes: _Notes) -> list[Item]:
    path = f"files[{f - 1}].acquisition.sources"
    href = notes.href(path, f"files[{f - 1}].acquisition")
    src = pf.acquisition.sources if pf.acquisition else None
    if src is None or not src.ticked:
        return [Item(notes.gap(path), href, gap=True)]
    flag = notes.flag(path)
    out = []
    for opt in src.ticked:
        detail = src.details.get(opt)
        out.append(Item(f"{opt}（{detail}）" if detail else opt, href, flag=flag))
    return out


def _entrust(f: int, pf: S.PersonalInfoFile, notes: _Notes) -> Group:
    path = f"files[{f - 1}].entrustment"
    href = notes.href(path)
    e = pf.entrustment
    if e is None or e.status is None:
        return Group("none", "委託", notes.gap(path if e is None else path + ".status"), href, [])
    if e.status != "委託する":
        return Group("none", "委託", e.status, href, [])
    count = f"{e.count}件" if e.count is not None else f"件数は{notes.gap(path + '.count')}"
    items = []
    for n, it in enumerate(e.items):
        ip = f"{path}.items[{n}]"
        ihref = "#" + A.entrustment(f, it.no)
        item = _value(it.contractor, ip + ".contractor", ihref, notes)
        sub = "再委託: " + (it.subcontract if it.subcontract else notes.gap(ip + ".subcontract"))
        item.sub = [f"委託事項{it.no}　{it.title}", sub]
        items.append(item)
    return Group("entrust", "委託先", count, href, items)


def _recipients(f: int, pv: S.Provisions, kind: str, notes: _Notes) -> Group | None:
    base = f"files[{f - 1}].provision"
    if kind == "provide":
        word, status, count, items, annex, anchor, listname = "提供先", "提供を行っている", pv.provision_count, pv.provisions, pv.provision_annex, A.provision, "provisions"
        annex_name = "provision_annex"
    else:
        word, status, count, items, annex, anchor, listname = "移転先", "移転を行っている", pv.transfer_count, pv.transfers, pv.transfer_annex, A.transfer, "transfers"
        annex_name = "transfer_annex"
    ticked = pv.status is not None and status in pv.status.ticked
    if not ticked and not items and count is None:
        return None
    cpath = f"{base}.{'provision_count' if kind == 'provide' else 'transfer_count'}"
    count_text = f"{count}件" if count is not None else f"件数は{notes.gap(cpath)}"
    out = [_value(it.recipient, f"{base}.{listname}[{n}].recipient", "#" + anchor(f, it.no), notes) for n, it in enumerate(items)]
    more = None
    if annex:
        more = Item(f"別紙の{word}一覧（{len(annex)}件）", "#" + _path_id(f"{base}.{annex_name}"))
    return Group(kind, word, count_text, notes.href(base), out, more)


def _provision(f: int, pf: S.PersonalInfoFile, notes: _Notes) -> list[Group]:
    path = f"files[{f - 1}].provision"
    href = notes.href(path)
    pv = pf.provision
    if pv is None:
        return [Group("none", "提供・移転", notes.gap(path), href, [])]
    groups = [g for g in (_recipients(f, pv, "provide", notes), _recipients(f, pv, "transfer", notes)) if g]
    if groups:
        return groups
    if pv.status is not None and pv.status.ticked:
        return [Group("none", "提供・移転", "・".join(pv.status.ticked), href, [])]
    return [Group("none", "提供・移転", notes.gap(path + ".status"), href, [])]


def flow(a: S.Assessment) -> Flow:
    notes = _Notes(a.transcription_notes, a)
    lanes = []
    for f, pf in enumerate(a.files, 1):
        rp = f"files[{f - 1}].retention"
        period = pf.retention.period.period if pf.retention and pf.retention.period else None
        retention = _value(period, rp + ".period.period", "#" + (A.retention(f) if notes.shown(rp) else A.file(f)), notes)
        file_item = Item(pf.name, "#" + A.file(f), flag=notes.flag(f"files[{f - 1}].name"))
        lanes.append(Lane(f, file_item, retention, _sources(f, pf, notes), [_entrust(f, pf, notes), *_provision(f, pf, notes)]))
    return Flow(lanes, _summary(lanes))


def _summary(lanes: list[Lane]) -> str:
    parts = []
    for ln in lanes:
        groups = "、".join(g.head for g in ln.groups)
        parts.append(
            f"ファイル{ln.no}「{ln.file.text}」（保管期間: {ln.retention.text}）は、"
            f"{'・'.join(s.text for s in ln.sources)}から入手し、{groups}。"
        )
    return "".join(parts)


# ---- the picture: boxes and coordinates -------------------------------------------------------------

FONT = 13  # px, the text of the boxes
LINE = 18  # px between lines
PAD = 7  # px inside a box
GAP = 8  # px between boxes of one column
LANE_GAP = 26  # px between two files
HEAD = 26  # px for the column titles


@dataclasses.dataclass
class Box:
    x: float
    y: float
    w: float
    h: float
    lines: list[tuple[str, str]]  # (text, css class of the line)
    href: str
    label: str  # the full text (the box's <title>)
    kind: str  # source | file | entrust | provide | transfer | none | more | group

    def texts(self) -> list[tuple[int, int, str, str]]:
        """(x, y, text, css class) of each line, baselines from the top of the box."""
        return [(round(self.x + PAD), round(self.y + PAD + FONT - 1 + i * LINE), t, c) for i, (t, c) in enumerate(self.lines)]

    def rect(self) -> tuple[int, int, int, int]:
        return round(self.x), round(self.y), round(self.w), round(self.h)

    def style(self, lay: "Layout") -> str:
        """Where the box's link lies over the picture, in % of the picture (the picture scales)."""
        return (f"left:{100 * self.x / lay.width:.3f}%;top:{100 * self.y / lay.height:.3f}%;"
                f"width:{100 * self.w / lay.width:.3f}%;height:{100 * self.h / lay.height:.3f}%")


@dataclasses.dataclass
class Edge:
    d: str  # SVG path


@dataclasses.dataclass
class Layout:
    width: float
    height: float
    boxes: list[Box]
    edges: list[Edge]
    heads: list[tuple[float, float, str]]  # column titles (x, y, text)


def _char_w(c: str) -> float:
    return 1.0 if unicodedata.east_asian_width(c) in ("F", "W", "A") else 0.6


def wrap(text: str, width_px: float, max_lines: int, font: float = FONT) -> list[str]:
    """`text` in lines no wider than `width_px` (estimated), at most `max_lines`, the last cut with 「…」."""
    text = re.sub(r"[ \t\r\n]+", " ", str(text)).strip(" ")  # line breaks as spaces; full-width spaces kept as printed
    limit = width_px / font * 0.92  # the estimate errs on the narrow side: fonts differ (⚠, digits, Latin)
    lines: list[str] = []
    cur, w = "", 0.0
    for c in text:
        cw = _char_w(c)
        if w + cw > limit and cur:
            lines.append(cur)
            cur, w = "", 0.0
            if len(lines) == max_lines:
                break
        cur += c
        w += cw
    else:
        if cur or not lines:
            lines.append(cur)
        return lines
    # cut: the last line ends with …
    last = lines[-1]
    while last and sum(_char_w(c) for c in last) + 1.0 > limit:
        last = last[:-1]
    lines[-1] = last + "…"
    return lines


def _box(x: float, y: float, w: float, item: Item, kind: str, max_lines: int = 3, sub_lines: int = 1) -> Box:
    inner = w - 2 * PAD
    cls = "hy-flow-gap" if item.gap else "hy-flow-main"
    text = item.text + ("（⚠ 曖昧）" if item.flag else "")
    lines = [(t, cls) for t in wrap(text, inner, max_lines)]
    for s in item.sub:
        lines += [(t, "hy-flow-sub") for t in wrap(s, inner, sub_lines)]
    label = "　".join([text, *item.sub])
    return Box(x, y, w, len(lines) * LINE + 2 * PAD - 4, lines, item.href, label, kind)


def _file_box(x: float, y: float, w: float, ln: Lane) -> Box:
    b = _box(x, y, w, ln.file, "file", max_lines=4)
    ret = ln.retention
    cls = "hy-flow-gap" if ret.gap else "hy-flow-ret"
    lines = wrap(f"保管期間: {ret.text}" + ("（⚠ 曖昧）" if ret.flag else ""), w - 2 * PAD, 2)
    b.lines += [(t, cls) for t in lines]
    b.h += LINE * len(lines)
    b.label = f"{b.label}　保管期間: {ret.text}"
    return b


def _group_boxes(x: float, y: float, w: float, g: Group, limit: int) -> list[Box]:
    """A group: its title line (a box of its own, linking to the section), then one box per recipient."""
    head = _box(x, y, w, Item(g.head, g.href), "group", max_lines=2)
    head.lines = [(t, "hy-flow-head") for t, _ in head.lines]
    out = [head]
    y += head.h + 3
    shown = g.items[:limit]
    for it in shown:
        b = _box(x, y, w, it, g.kind, max_lines=2)
        out.append(b)
        y += b.h + GAP
    rest = len(g.items) - len(shown)
    more = []
    if rest:
        more.append(Item(f"ほか{rest}件（一覧へ）", g.href))
    if g.more:
        more.append(g.more)
    for it in more:
        b = _box(x, y, w, it, "more", max_lines=1)
        out.append(b)
        y += b.h + GAP
    return out


def _bottom(boxes: list[Box]) -> float:
    return max(b.y + b.h for b in boxes)


def _mid_y(b: Box) -> float:
    return b.y + b.h / 2


def layout(fl: Flow, narrow: bool = False) -> Layout:
    return _narrow(fl) if narrow else _wide(fl)


def _wide(fl: Flow) -> Layout:
    cols = (0.0, 200.0), (250.0, 230.0), (530.0, 330.0)  # (x, width): 入手元 | ファイル | 委託先・提供先・移転先
    width = cols[2][0] + cols[2][1]
    heads = [(cols[0][0], 16.0, "入手元"), (cols[1][0], 16.0, "特定個人情報ファイル（保管期間）"), (cols[2][0], 16.0, "委託先・提供先・移転先")]
    boxes: list[Box] = []
    edges: list[Edge] = []
    y0 = HEAD
    for ln in fl.lanes:
        src: list[Box] = []
        y = y0
        for it in ln.sources:
            b = _box(cols[0][0], y, cols[0][1], it, "source")
            src.append(b)
            y += b.h + GAP
        right: list[list[Box]] = []
        y = y0
        for g in ln.groups:
            gb = _group_boxes(cols[2][0], y, cols[2][1], g, MAX_ITEMS)
            right.append(gb)
            y = _bottom(gb) + GAP + 4
        fb = _file_box(cols[1][0], y0, cols[1][1], ln)
        lane_bottom = max(_bottom(src), max(_bottom(g) for g in right))
        fb.y = y0 + max(0.0, (lane_bottom - y0 - fb.h) / 2)  # the file box sits level with the middle of its lane
        lane_bottom = max(lane_bottom, fb.y + fb.h)
        fx0, fx1, fy = fb.x, fb.x + fb.w, _mid_y(fb)
        for b in src:
            sx, sy = b.x + b.w, _mid_y(b)
            mx = (sx + fx0) / 2
            edges.append(Edge(f"M{sx:.0f},{sy:.0f} C{mx:.0f},{sy:.0f} {mx:.0f},{fy:.0f} {fx0 - 2:.0f},{fy:.0f}"))
        for gb in right:
            tx, ty = gb[0].x, _mid_y(gb[0])
            mx = (fx1 + tx) / 2
            edges.append(Edge(f"M{fx1:.0f},{fy:.0f} C{mx:.0f},{fy:.0f} {mx:.0f},{ty:.0f} {tx - 2:.0f},{ty:.0f}"))
        boxes += src + [fb] + [b for gb in right for b in gb]
        y0 = lane_bottom + LANE_GAP
    return Layout(width, y0 - LANE_GAP + 4, boxes, edges, heads)


def _narrow(fl: Flow) -> Layout:
    width = 330.0
    x, w = 0.0, width
    boxes: list[Box] = []
    edges: list[Edge] = []
    heads: list[tuple[float, float, str]] = []
    y = 0.0

    def arrow(y: float) -> float:
        cx = width / 2
        edges.append(Edge(f"M{cx:.0f},{y + 2:.0f} L{cx:.0f},{y + 20:.0f}"))
        return y + 26

    for ln in fl.lanes:
        heads.append((x, y + 16, "入手元"))
        y += HEAD
        for it in ln.sources:
            b = _box(x + 12, y, w - 12, it, "source")
            boxes.append(b)
            y += b.h + GAP
        y = arrow(y - GAP + 2)
        fb = _file_box(x, y, w, ln)
        boxes.append(fb)
        y = arrow(fb.y + fb.h + 2)
        for g in ln.groups:
            gb = _group_boxes(x + 12, y, w - 12, g, MAX_ITEMS)
            boxes += gb
            y = _bottom(gb) + GAP + 4
        y += LANE_GAP
    return Layout(width, y - LANE_GAP, boxes, edges, heads)


# ---- the section on the assessment page ------------------------------------------------------------


def section(a: S.Assessment, page_url: str) -> Markup:
    """The data-flow section of an assessment page (templates/dataflow.html), right after the summary."""
    fl = flow(a)
    glossary_href = rel_url(G.PAGE_URL, page_url)
    terms = {t.key: G.term_link(t, glossary_href) for t in G.TERMS}
    return macros("dataflow.html").section({
        "flow": fl,
        "wide": layout(fl) if fl.lanes else None,
        "narrow": layout(fl, narrow=True) if fl.lanes else None,
        "terms": terms,
        "glossary_href": glossary_href,
        "defs_slot": Markup(G.DEFS_SLOT),
        "form_name": a.form_name,
    })
