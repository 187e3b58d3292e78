"""selfeval serve: the checking service and its web desk (docs/api.md, docs/deploy.md)."""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import sys
import threading
import webbrowser

from selfeval.cli.common import add_profile_option
from selfeval.errors import InputError
from selfeval.profiles.policy import load_profile

DEFAULT_PORT = 8765


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="启动校验服务和网页版工作台（用浏览器校验、重新评分、汇总）",
        description="启动校验服务：在浏览器中打开工作台，上传自评表即可校验、重新评分、生成汇总报告、"
        "抽查清单和复核底稿；其他程序（WPS 加载项等）通过同一接口调用（见 docs/api.md）。"
        "默认只在本机（127.0.0.1）监听并打开浏览器；在内网服务器上用 --host 0.0.0.0。"
        "服务不保存任何上传的文件和结果。需要安装 selfeval[serve]。",
    )
    p.add_argument(
        "--host", default="127.0.0.1", metavar="地址", help="监听地址（默认 127.0.0.1，仅本机）"
    )
    p.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        metavar="端口",
        help=f"端口（默认 {DEFAULT_PORT}）",
    )
    p.add_argument(
        "--workers", type=int, default=1, metavar="N", help="工作进程数（默认 1；每个 CPU 核一个）"
    )
    p.add_argument("--no-browser", action="store_true", help="启动后不打开浏览器")
    p.add_argument(
        "--max-upload-mb",
        type=float,
        default=20,
        metavar="MB",
        help="一次上传的大小上限（默认 20 MB）",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=120,
        metavar="秒",
        help="一个请求最长处理时间（默认 120 秒）",
    )
    p.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="来源",
        help="允许跨域调用的网页来源（如 WPS 加载项的 http://host:port 或 null），可多次给出",
    )
    add_profile_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn  # the serve extra: optional, and loaded only to serve
    except ImportError:
        raise InputError(
            '校验服务需要额外的组件：请执行 pip install "selfeval[serve]"（离线安装包已包含）'
        ) from None
    if args.workers < 1:
        raise InputError(f"--workers 应为正整数（{args.workers}）")
    if args.max_upload_mb <= 0 or args.timeout <= 0:
        raise InputError("--max-upload-mb 和 --timeout 应为正数")
    if not 0 < args.port < 65536:
        raise InputError(f"端口应在 1 至 65535 之间（{args.port}）")
    if args.profile:
        load_profile(args.profile)  # a bad profile is said now, not in every worker
    url = f"http://{_shown_host(args.host)}:{args.port}/"
    os.environ.update(
        SELFEVAL_SERVE_PROFILE=args.profile or "",
        SELFEVAL_SERVE_MAX_UPLOAD_MB=str(args.max_upload_mb),
        SELFEVAL_SERVE_TIMEOUT=str(args.timeout),
        SELFEVAL_SERVE_ORIGINS=" ".join(args.allow_origin),
    )
    print(f"selfeval 校验服务：{url}（按 Ctrl+C 停止）", file=sys.stderr)
    if not _loopback(args.host):
        print(f"请同事在浏览器中打开：{url}", file=sys.stderr)
    if not args.no_browser:
        _open_later(url)
    uvicorn.run(
        "selfeval.service.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning",
        access_log=False,  # request lines name no upload, but staff need no log of them
        timeout_graceful_shutdown=5,
    )
    return 0


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _shown_host(host: str) -> str:
    """The address staff type: this machine's address when listening on all of them."""
    if host in ("0.0.0.0", "::"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect(("192.0.2.1", 9))  # no packet is sent: picks the outgoing address
                return s.getsockname()[0]
        except OSError:
            return socket.gethostname()
    return f"[{host}]" if ":" in host else host


def _open_later(url: str) -> None:
    """Open the desk once the service answers (a second after start)."""
    threading.Timer(1.0, webbrowser.open, args=(url,)).start()
