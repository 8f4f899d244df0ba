"""Word templates a county may put in place of the default (docxtpl over Jinja2), made safe to
accept from a user: checked before they are stored, rendered in a sandbox, in a child process
with bounds on its time, memory and output.

- The check (`inspect`) reads every part docxtpl renders (the body, headers, footers,
  footnotes, the document's properties) and refuses, naming what it found: a name outside the
  fields documented for a printed page (`PAGE_FIELDS`), an attribute outside the fields of its
  items (`ITEM_FIELDS`, and a loop's own), anything starting with an underscore, a filter not
  in `FILTERS`, any call (`range(…)`, a method), and the tags that reach outside the template
  (import, include, extends, macros).
- The render (`render`) runs in Jinja2's ImmutableSandboxedEnvironment over a context of plain
  values (text, numbers, lists, dicts and docxtpl's RichText hyperlinks, by name), in a forked
  child limited in CPU time and memory, whose output is bounded too: a template that would
  loop for ever or fill the memory is refused, never a worker lost.
Every refusal is a ProcedureError in Chinese; Jinja's English never reaches a user."""

from __future__ import annotations

import io
import os
import pickle
import re
import resource
import select
import signal
import time
import zipfile
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from workflows.errors import ProcedureError

PAGE_FIELDS = ("title", "facts", "paragraphs", "sections", "printed_on", "font_note")
ITEM_FIELDS = ("label", "text", "url", "link", "title", "note", "columns", "rows")
LOOP_FIELDS = ("index", "index0", "revindex", "revindex0", "first", "last", "length")
FILTERS = (
    "default", "d", "length", "count", "join", "upper", "lower", "trim", "replace", "first",
    "last", "e", "escape", "string", "truncate", "title", "capitalize", "wordcount", "round",
    "abs", "int", "sum", "reverse",
)  # fmt: skip

MSG_TEMPLATE = gettext_noop("文书模板有误：%(error)s。请县委组织部在后台更换模板。")
MSG_FIELD = gettext_noop("模板中的字段 %(name)s 不存在，可用字段：%(fields)s")
MSG_ATTRIBUTE = gettext_noop("模板中的字段 %(owner)s.%(name)s 不存在，可用字段：%(fields)s")
MSG_UNDERSCORE = gettext_noop("模板不能使用以下划线开头的名称（%(name)s）")
MSG_FILTER = gettext_noop("模板中的过滤器 %(name)s 不可用，可用过滤器：%(filters)s")
MSG_CALL = gettext_noop("模板中不能调用函数或方法（%(name)s）")
MSG_TAG = gettext_noop("模板中不能使用 %(tag)s 标签")
MSG_INDEX = gettext_noop("模板中的下标只能是数字或字段名（%(owner)s[…]）")
MSG_SYNTAX = gettext_noop(
    "模板第%(line)s段附近的标签写法有误，请检查 {{ }} 与 {%% %%} 是否成对、是否闭合"
)
MSG_RENDER = gettext_noop("模板无法生成文书，请对照可用字段（%(fields)s）检查模板")
MSG_FORBIDDEN = gettext_noop("模板访问了不允许访问的内容")
MSG_TIME = gettext_noop("模板生成文书超过%(seconds)s秒，已停止")
MSG_MEMORY = gettext_noop("模板生成文书所需内存超过%(mib)sMB，已停止")
MSG_SIZE = gettext_noop("模板生成的文书超过%(mib)sMB")
MSG_UNREADABLE = gettext_noop("无法读取该 Word 文件，请另存为 .docx 后重新上传")


def _refuse(message: str) -> ProcedureError:
    return ProcedureError("template_error", _(MSG_TEMPLATE) % {"error": message})


def environment():
    """The only Jinja environment a Word template meets."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(autoescape=False)
    env.filters = {name: env.filters[name] for name in FILTERS}
    env.globals = {}
    env.tests = {name: env.tests[name] for name in ("defined", "undefined", "none", "number")}
    return env


# The check: every part docxtpl renders, parsed and walked.


def _sources(content: bytes) -> list[str]:
    from docx import Document
    from docx.oxml import parse_xml
    from docxtpl import DocxTemplate

    template = DocxTemplate(io.BytesIO(content))
    document = Document(io.BytesIO(content))
    parts = [template.xml_to_string(document._element.body)]
    for relation in document.part.rels.values():
        if relation.reltype in (template.HEADER_URI, template.FOOTER_URI):
            blob = relation.target_part.blob
            if blob:
                parts.append(template.xml_to_string(parse_xml(blob)))
    for part in document.part.package.parts:
        if part.content_type.endswith(".footnotes+xml"):
            parts.append(part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob)
    # A paragraph a line, as docxtpl renders it: a syntax error's line is its paragraph.
    sources = [re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml)) for xml in parts]
    properties = document.core_properties
    for name in ("author", "comments", "identifier", "language", "subject", "title"):
        sources.append(getattr(properties, name) or "")
    return sources


def _name_of(node) -> str:
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_name_of(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{_name_of(node.node)}[…]"
    return "…"


def _walk_reach(tree) -> None:
    """Tags that reach outside the template, calls, filters not listed, underscore names."""
    from jinja2 import nodes

    forbidden = {
        nodes.Import: "import", nodes.FromImport: "from … import", nodes.Include: "include",
        nodes.Extends: "extends", nodes.Macro: "macro", nodes.CallBlock: "call",
    }  # fmt: skip
    for node in tree.find_all(nodes.Node):
        for kind, tag in forbidden.items():
            if isinstance(node, kind):
                raise _refuse(_(MSG_TAG) % {"tag": tag})
        if isinstance(node, nodes.Call):
            raise _refuse(_(MSG_CALL) % {"name": _name_of(node.node)})
        named = None
        if isinstance(node, nodes.Name | nodes.Filter | nodes.Test):
            named = node.name
        elif isinstance(node, nodes.Getattr):
            named = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            named = str(node.arg.value)
        if named is not None and named.startswith("_"):
            raise _refuse(_(MSG_UNDERSCORE) % {"name": named})
        if isinstance(node, nodes.Filter) and node.name not in FILTERS:
            raise _refuse(_(MSG_FILTER) % {"name": node.name, "filters": "、".join(FILTERS)})


def _walk_fields(tree) -> None:
    """Every attribute, and every item by name, one of the fields a page's items have."""
    from jinja2 import nodes

    fields = "、".join(ITEM_FIELDS)
    for node in tree.find_all(nodes.Getattr | nodes.Getitem):
        if isinstance(node, nodes.Getattr):
            attribute = node.attr
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, int):
            continue
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            attribute = node.arg.value
        else:
            raise _refuse(_(MSG_INDEX) % {"owner": _name_of(node.node)})
        if attribute not in ITEM_FIELDS + LOOP_FIELDS:
            said = {"owner": _name_of(node.node), "name": attribute, "fields": fields}
            raise _refuse(_(MSG_ATTRIBUTE) % said)


def inspect(content: bytes) -> None:
    """Refuse a template that names what a page does not have or reaches past its data."""
    from jinja2 import TemplateSyntaxError, meta

    try:
        sources = _sources(content)
    except Exception:  # not a Word file python-docx can open
        raise _refuse(_(MSG_UNREADABLE)) from None
    env = environment()
    for source in sources:
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as error:
            raise _refuse(_(MSG_SYNTAX) % {"line": max(error.lineno - 1, 1)}) from None
        _walk_reach(tree)
        for name in sorted(meta.find_undeclared_variables(tree)):
            if name not in PAGE_FIELDS:
                raise _refuse(_(MSG_FIELD) % {"name": name, "fields": "、".join(PAGE_FIELDS)})
        _walk_fields(tree)


# The render: plain values, the sandbox, a bounded child process.


def plain(value):
    """Text, numbers, lists and dicts only (and docxtpl's RichText): no model, no callable."""
    from docxtpl import RichText

    if value is None or isinstance(value, bool | int | float | str | RichText):
        return value
    if isinstance(value, Promise | Decimal | date | datetime):
        return str(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return str(value)


def _render_here(content: bytes, build_context) -> bytes:
    from docxtpl import DocxTemplate

    document = DocxTemplate(io.BytesIO(content))
    document.render(plain(build_context(document)), jinja_env=environment())
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _limits() -> tuple[int, int, int]:
    return (
        settings.JICENG_TEMPLATE_SECONDS,
        settings.JICENG_TEMPLATE_MEMORY_MIB,
        settings.JICENG_TEMPLATE_OUTPUT_MIB,
    )


def _child(write_end: int, content: bytes, build_context) -> None:
    from jinja2.exceptions import SecurityError

    seconds, memory_mib, output_mib = _limits()
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
        with open("/proc/self/statm") as statm:  # what the child has now, plus its allowance
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        allowance = used + memory_mib * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (allowance, allowance))
        try:
            body = _render_here(content, build_context)
            with zipfile.ZipFile(io.BytesIO(body)) as unpacked:  # what a reader unpacks
                size = sum(entry.file_size for entry in unpacked.infolist())
            answer = ("ok", body) if size <= output_mib * 1024 * 1024 else ("size", None)
        except MemoryError:
            answer = ("memory", None)
        except ProcedureError as error:
            answer = ("refused", error.message)
        except SecurityError:
            answer = ("forbidden", None)
        except Exception:
            answer = ("error", None)
        data = pickle.dumps(answer)
        view = memoryview(data)
        while view:
            view = view[os.write(write_end, view) :]
    finally:
        os._exit(0)


def render(content: bytes, build_context) -> bytes:
    """The template rendered over `build_context(template)`'s values, in a child process
    bounded in CPU time, memory and output; every failure a refusal in Chinese."""
    import docx  # noqa: F401 - loaded before the fork, never inside the child
    import docxtpl  # noqa: F401
    import jinja2.sandbox  # noqa: F401

    seconds, memory_mib, output_mib = _limits()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(write_end, content, build_context)
    os.close(write_end)
    chunks, deadline = [], time.monotonic() + seconds + 5
    try:
        while True:
            left = deadline - time.monotonic()
            ready, _w, _x = select.select([read_end], [], [], max(left, 0))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                break
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        _pid, status = os.waitpid(pid, 0)
    if not chunks:
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGSEGV:
            raise _refuse(_(MSG_MEMORY) % {"mib": memory_mib})
        raise _refuse(_(MSG_TIME) % {"seconds": seconds})
    kind, value = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child's answer
    if kind == "ok":
        return value
    if kind == "memory":
        raise _refuse(_(MSG_MEMORY) % {"mib": memory_mib})
    if kind == "size":
        raise _refuse(_(MSG_SIZE) % {"mib": output_mib})
    if kind == "refused":
        raise ProcedureError("template_error", value)
    if kind == "forbidden":
        raise _refuse(_(MSG_FORBIDDEN))
    raise _refuse(_(MSG_RENDER) % {"fields": "、".join(PAGE_FIELDS)})
