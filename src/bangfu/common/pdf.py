"""PDFs of the printed documents (issue 17): the print views' own HTML, drawn by WeasyPrint.

The letters, notices, receipts and payroll sheets already have print views (HTML + a print
stylesheet, A4). The PDF is that same page rendered with `pdf=True` in its context (the templates
then leave out the print button, the script and the stylesheet link) and the stylesheet given to
WeasyPrint inline, so nothing is fetched while drawing: no CDN, no request to ourselves.

The Chinese glyphs come from Debian's fonts (fonts-noto-cjk, installed by scripts/ensure-fonts as
Chromium is by scripts/ensure-chromium), found through fontconfig by the family names of the print
stylesheet. Without a CJK font WeasyPrint would draw empty boxes without complaint, so the font is
looked up by path first and a missing one answers a clear message instead of a blank document.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# Debian's places for the faces the print stylesheet names, best first (Song style for letters).
KNOWN_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)

PDF = "application/pdf"


class PdfUnavailable(Exception):
    """The machine cannot draw a Chinese PDF: no CJK font, or WeasyPrint/Pango missing."""


def cjk_font_path() -> str | None:
    """The file of an installed Chinese font: a known Debian path, else whatever fontconfig knows
    for the Chinese language; None when there is none."""
    for path in KNOWN_FONTS:
        if Path(path).is_file():
            return path
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        for line in out.splitlines():
            path = line.split(":", 1)[0].strip()
            if path and Path(path).is_file():
                return path
    return None


def unavailable_reason() -> str:
    """Why no PDF can be drawn here ("" when it can), in the user's language."""
    if cjk_font_path() is None:
        return _("服务器未安装中文字体，无法生成 PDF。请系统管理员运行 scripts/ensure-fonts（安装 Debian 的 fonts-noto-cjk）后重试；"
                 "在此之前可以使用“打印”按钮。")
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi: fails here when it is missing)
    except (ImportError, OSError):
        return _("服务器缺少 PDF 排版组件（WeasyPrint 或 Pango），无法生成 PDF。请系统管理员运行 scripts/ensure-fonts 并安装项目依赖后重试；"
                 "在此之前可以使用“打印”按钮。")
    return ""


def html_to_pdf(html: str, *, stylesheets: tuple[str, ...] = ()) -> bytes:
    """The PDF of `html`, with the static stylesheets `stylesheets` (paths under STATIC, e.g.
    "cases/print.css") applied inline. Raises PdfUnavailable with the reason."""
    reason = unavailable_reason()
    if reason:
        raise PdfUnavailable(reason)
    from weasyprint import CSS, HTML

    sheets = []
    for name in stylesheets:
        path = finders.find(name)
        if path:
            sheets.append(CSS(string=Path(path).read_text(encoding="utf-8")))
    # No base_url and no links in the PDF templates: WeasyPrint has nothing to fetch.
    return HTML(string=html).write_pdf(stylesheets=sheets)


def pdf_response(request: HttpRequest, template: str, context: dict, *, filename: str,
                 stylesheets: tuple[str, ...] = ("cases/print.css",)) -> HttpResponse:
    """The print view's template as a PDF download (Chinese file name in RFC 5987 form, never
    cached: these documents name people). A machine without the fonts answers 503 with the reason."""
    html = render_to_string(template, {**context, "pdf": True}, request=request)
    try:
        content = html_to_pdf(html, stylesheets=stylesheets)
    except PdfUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
