"""Console views of the rich body: 从Word导入正文, and the sanitiser the editor pastes through."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.lib.views import AuthedRequest
from gongkai.publishing import forms, wordimport
from gongkai.publishing.permissions import get_revision_for_user
from gongkai.publishing.services.common import PublishingError, sanitize_body

PASTE_LIMIT = 2 * 1024 * 1024  # characters of pasted HTML (Word's clipboard is verbose)


@login_required
@require_POST
def revision_word_import(request: AuthedRequest, pk: int) -> HttpResponse:
    """Upload a .docx: its content becomes the revision's body, its images attachments."""
    rev = get_revision_for_user(request.user, pk, write=True)
    back = reverse("publishing:revision_edit", kwargs={"pk": rev.pk})
    form = forms.WordImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要导入的 Word 文档（.docx）。")
        return redirect(back)
    upload = form.cleaned_data["file"]
    try:
        _rev, converted, findings = wordimport.revision_import_word(
            revision=rev, by=request.user, name=upload.name, data=upload.read()
        )
    except PublishingError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    done = f"已从“{upload.name}”导入正文"
    if converted.images:
        done += f"，{len(converted.images)}张图片已作为附件上传"
    messages.success(request, done + "。请核对后保存或提交审核。")
    for warning in converted.warnings:
        messages.warning(request, warning)
    if findings:
        kinds = "、".join(dict.fromkeys(f.label for f in findings))
        messages.warning(
            request,
            f"保密审查：导入的正文中发现{len(findings)}处疑似问题（{kinds}），请修改后再提交。",
        )
    return redirect(back)


@login_required
@require_POST
def body_sanitize(request: AuthedRequest) -> HttpResponse:
    """The editor's paste filter: pasted HTML (e.g. from Word) reduced by the same sanitiser
    as a saved body, so what the clerk sees after pasting is what will be stored."""
    html = request.POST.get("html", "")
    if len(html) > PASTE_LIMIT:
        return JsonResponse({"error": "粘贴的内容过大，请分段粘贴。"}, status=413)
    return JsonResponse({"html": sanitize_body(_unword(html))})


def _unword(html: str) -> str:
    """Word's clipboard HTML: drop its conditional comments, XML islands and ``<o:p>`` so the
    sanitiser sees plain paragraphs; a MsoTitle/MsoHeading paragraph becomes a heading.

    Headings follow the .docx import (``wordimport``): the body's top level is h2 (the
    item's title is the page's h1), so Word's 标题 1/2/3 (``<h1>``–``<h3>`` on its
    clipboard) become h2/h3/h4; from other pages an h1 becomes h2 and h5/h6 h4."""
    import re

    from_word = bool(re.search(r"urn:schemas-microsoft-com:office|class=\"?Mso|mso-", html))

    def heading(m: re.Match[str]) -> str:
        level = int(m[2]) + (1 if from_word else 0)
        return f"<{m[1]}h{min(max(level, 2), 4)}"

    html = re.sub(r"<(/?)h([1-6])(?=[\s>])", heading, html, flags=re.I)
    html = re.sub(r"<!--\[if.*?<!\[endif\]-->", "", html, flags=re.S)
    html = re.sub(r"<(xml|style|head)[^>]*>.*?</\1>", "", html, flags=re.S | re.I)
    html = re.sub(r"</?o:p>", "", html)
    if from_word:  # Word wraps every run in a <span> for its fonts and language: nothing to keep
        html = re.sub(r"</?span(?:\s[^>]*)?>", "", html, flags=re.I)
    html = re.sub(
        r'<p([^>]*)class="?MsoTitle"?([^>]*)>(.*?)</p>', r"<h2\1\2>\3</h2>", html, flags=re.S
    )
    return re.sub(
        r'<p([^>]*)class="?MsoHeading(\d)"?([^>]*)>(.*?)</p>',
        lambda m: f"<h{min(int(m[2]) + 1, 4)}{m[1]}{m[3]}>{m[4]}</h{min(int(m[2]) + 1, 4)}>",
        html,
        flags=re.S,
    )
