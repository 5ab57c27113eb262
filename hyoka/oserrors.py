"""One line in Japanese for an OS error during a build (disk full, no permission, read-only …): what
happened, where, and what to do.  No traceback; the published site and index are left as they were
(hyoka.publish), which the message says.

No MkDocs here.
"""

from __future__ import annotations

import errno
import re
import shutil

_ADVICE = {
    errno.ENOSPC: ("ディスクがいっぱいです", "空きを作ってから、もう一度ビルドしてください"),
    errno.EDQUOT: ("ディスクの割り当て（クォータ）を超えました", "不要なファイルを消すか割り当てを増やしてから、もう一度ビルドしてください"),
    errno.EACCES: ("書き込む権限がありません", "フォルダの所有者と権限を確認してから、もう一度ビルドしてください"),
    errno.EPERM: ("この操作は許可されていません", "フォルダの所有者と権限を確認してから、もう一度ビルドしてください"),
    errno.EROFS: ("読み取り専用のファイルシステムです", "書き込める場所でビルドするか、書き込めるようにマウントし直してください"),
    errno.EMFILE: ("開いているファイルが多すぎます", "ほかのプログラムを閉じるか上限（ulimit -n）を上げてから、もう一度ビルドしてください"),
    errno.ENFILE: ("システム全体で開いているファイルが多すぎます", "ほかのプログラムを閉じてから、もう一度ビルドしてください"),
    errno.EIO: ("ディスクの読み書きに失敗しました（入出力エラー）", "ディスクの状態を確認してから、もう一度ビルドしてください"),
    errno.ENAMETOOLONG: ("ファイル名が長すぎます", "プロジェクトをもっと短いパスの場所に置いてください"),
    errno.ENOENT: ("ファイルかフォルダが見つかりません（途中で消されました）", "ほかのプログラムがフォルダを消していないか確認して、もう一度ビルドしてください"),
}

_ERRNO_IN_TEXT = re.compile(r"\[Errno (\d+)\]")


def os_error_of(exc: BaseException) -> OSError | None:
    """The OSError behind `exc` (itself, its cause or context), or None."""
    seen = 0
    e: BaseException | None = exc
    while e is not None and seen < 10:
        if isinstance(e, OSError):
            return e
        e = e.__cause__ or e.__context__
        seen += 1
    return None


def describe(exc: OSError, action: str = "サイトと索引を書き出せませんでした") -> str:
    """`exc` as one line: 「…できませんでした: ディスクがいっぱいです（/path）。空きを作ってから…。公開中の…」"""
    code = exc.errno
    where = exc.filename
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        # copytree collects (src, dst, "[Errno 28] No space left on device: …") for every file
        src, dst, why = exc.args[0][0]
        m = _ERRNO_IN_TEXT.search(str(why))
        code = int(m.group(1)) if m else code
        where = dst
    what, todo = _ADVICE.get(code, (f"OS のエラーです（{exc.strerror or exc}）", "原因を取り除いてから、もう一度ビルドしてください"))
    place = f"（{where}）" if where else ""
    line = f"{action}: {what}{place}。{todo}。公開中のサイトと索引は前のまま変わっていません"
    return line.replace("\n", " ")
