"""Chinese UI text takes full-width punctuation (GB/T 15834): no half-width , : ; ( )
next to a Chinese character in a template or in a string literal of our code.

Numbers, units and codes stay half-width ("1,234.5", "H:i", "(%)" after a code); stored
text (the report's sentences in fixtures/, what clerks type) is not scanned. Docstrings
are English and are skipped, as are migrations (they record history)."""

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["zhongyuan", "org", "workflow", "targets", "projects", "reporting", "supervision", "bench"]
HAN = re.compile(r"[\u3400-\u9fff]")
TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|<[^>]*>", re.S)
QUOTED = re.compile(r'(?<!yesno:)"([^"]*)"')
MASK = "\ue000"


def _near_han(text: str, i: int, step: int) -> bool:
    while 0 <= i < len(text) and text[i] in (MASK, " "):
        i += step
    return 0 <= i < len(text) and (bool(HAN.match(text[i])) or text[i] in "，。：；（）、“”")


def offences(text: str) -> list[str]:
    """Each half-width mark that stands next to Chinese, with a little context."""
    found = []
    for i, ch in enumerate(text):
        if ch in ",:;" and (
            (i > 0 and (HAN.match(text[i - 1]) or text[i - 1] in "）”"))
            or (_near_han(text, i + 1, 1) and text[i + 1 : i + 2] != MASK)
        ):
            found.append(text[max(0, i - 8) : i + 8])
    stack = []
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            if (
                HAN.search(text[j + 1 : i])
                or _near_han(text, j - 1, -1)
                or _near_han(text, i + 1, 1)
            ):
                found.append(text[max(0, j - 8) : i + 2])
    return [f.replace(MASK, "…").replace("\n", " ") for f in found]


def template_offences(text: str) -> list[str]:
    found = offences(TAG.sub(lambda m: MASK * len(m.group(0)), text))
    for tag in TAG.findall(text):
        for quoted in QUOTED.findall(tag):
            if HAN.search(quoted):
                found += offences(quoted)
    return found


def python_offences(text: str) -> list[str]:
    found, previous = [], None
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.STRING and HAN.search(token.string):
            docstring = previous is None or previous.type in (
                tokenize.INDENT,
                tokenize.DEDENT,
                tokenize.NEWLINE,
            )
            if not docstring:
                found += [f"line {token.start[0]}: {o}" for o in offences(token.string)]
        if token.type not in (tokenize.NL, tokenize.COMMENT):
            previous = token
    return found


def test_offences_finds_what_it_should():
    assert offences("数据截至2025年10月末,最近计算于") == ["025年10月末,最近计算于"]
    assert offences("完成进度(%)") != []
    assert offences("退回原因:") != []
    assert offences("1,234.5、H:i、x(%)") == []
    assert offences("完成进度（%），已完成：") == []
    assert template_offences('{{ x|yesno:"是,否" }}') == []
    assert template_offences('<input placeholder="原因(必填)">') != []


def test_templates_use_full_width_punctuation():
    bad = {
        str(path.relative_to(ROOT)): template_offences(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "templates").rglob("*"))
        if path.suffix in (".html", ".txt")
    }
    assert {path: found for path, found in bad.items() if found} == {}


def test_message_strings_use_full_width_punctuation():
    bad = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else []:
            if "migrations" in path.parts:
                continue
            found = python_offences(path.read_text(encoding="utf-8"))
            if found:
                bad[str(path.relative_to(ROOT))] = found
    assert bad == {}
