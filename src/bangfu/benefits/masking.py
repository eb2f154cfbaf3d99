"""Names in published lists (办法 §24: 公布 with privacy protection): the family name stays, the
given name becomes stars — 张伟 → 张*, 欧阳娜娜 → 欧阳**."""

from __future__ import annotations

# Two-character family names (复姓) that keep both characters.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 夏侯 轩辕 端木 司徒 西门 独孤 南宫 钟离 澹台 "
    "申屠 太史 闻人 万俟 呼延 赫连 拓跋 百里 东郭 公冶 濮阳 淳于 单于 宗政 第五 司空 左丘 梁丘 仲孙 叔孙".split()
)


def mask_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    keep = 2 if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else 1
    # a transliterated name (阿依古丽·买买提) keeps its first character only, its length is not shown in full
    rest = name[keep:]
    return name[:keep] + "*" * min(len(rest), 3)
