"""The regular expressions the extractors share, compiled once.

Organised by what they find. Each long pattern is ``re.VERBOSE`` with a
comment per line; groups are named so that callers never count parentheses.
"""

from __future__ import annotations

import re

# --- Brackets -----------------------------------------------------------------
# normalize.py maps ASCII brackets to the full-width ones, so only these occur.
OPEN = "（"
CLOSE = "）"

# --- Annotations: （牵头单位：…；责任单位：…） -------------------------------------

# The label at the start of a bracket's content, before its colon. A page break
# may have left blank lines inside the label (牵头\n\n单位), so whitespace is
# allowed between its characters and removed by the caller.
ROLE_LABEL = re.compile(
    r"""\s*                                  # blanks after the opening bracket
        (?P<label>[\u4e00-\u9fff]            # the role word: a CJK character,
          (?:\s*[\u4e00-\u9fff]){1,7})       # then 1-7 more, blanks allowed between
        \s*：                                # the colon that ends the label
    """,
    re.VERBOSE,
)

# A label that is not in data/roles.tsv but looks like a role word: the bracket
# is reported as a problem rather than read as task text.
ROLE_LIKE = re.compile(
    r"""(?:单位|部门|领导|责任人)$            # ends with a unit, department or leader word
    """,
    re.VERBOSE,
)

# --- Lists of unit (or leader) names ------------------------------------------

# One separator between two names of a list.
UNIT_SEP = re.compile(
    r"""[、，,；;]                           # enumeration comma, comma, semicolon
      | \s*\n\s*                             # a line break, blank lines included
    """,
    re.VERBOSE,
)

# 等 before a collective ends the list of named units and starts a new name:
# 区财政局、区商务局等各惠企政策发布部门 → …, 区商务局, 各惠企政策发布部门.
ETC_BEFORE_COLLECTIVE = re.compile(
    r"""等                                   # "and others"
        (?=(?:各|相关|有关|其他|其它|全体)    # followed by a collective word
           [\u4e00-\u9fff])                  # that goes on with a name
    """,
    re.VERBOSE,
)

# A trailing 等 (or 等部门, 等单位) with nothing after it is dropped.
TRAILING_ETC = re.compile(
    r"""等                                   # "and others"
        (?:部门|单位)?                        # optionally "departments/units"
        \s*$                                 # at the end of the name
    """,
    re.VERBOSE,
)

# Characters stripped around each name besides whitespace.
NAME_STRIP = " \t\r\n\u3000。．."

# --- Outline: numbered items and headings -------------------------------------

# A number at the start of a line (or of a paragraph's text), by style. The
# styles rank from the outermost 一、 to the innermost （1）.
OUTLINE_NUMBER = re.compile(
    r"""^[ \t]*                              # optional indentation
        (?:
            (?P<chapter>[一二三四五六七八九十]{1,3})、     # 一、 chapter
          | （(?P<section>[一二三四五六七八九十]{1,3})）   # （一） section
          | (?P<item>\d{1,3})[.、](?![\d%])              # 1. or 1、 item, not 5.6%
          | （(?P<subitem>\d{1,3})）                     # （1） sub-item
        )
        [ \t]*                               # blanks after the number
    """,
    re.VERBOSE | re.MULTILINE,
)
OUTLINE_STYLES = ("chapter", "section", "item", "subitem")

# A non-blank line (a paragraph in normalized text), with its bounds.
PARAGRAPH = re.compile(
    r"""[^\n]*\S[^\n]*                       # a line with at least one non-blank
    """,
    re.VERBOSE,
)

# --- Clauses of running text --------------------------------------------------

# A paragraph lead-in that introduces a list: 今年经济社会发展主要预期目标是：
LEAD_IN = re.compile(
    r"""[^，。；：！？\n]{2,60}              # one short phrase without punctuation (use .match)
        ：                                   # ending with a colon
    """,
    re.VERBOSE,
)

# Punctuation and blanks that may start a clause after the previous annotation.
CLAUSE_LEADING = re.compile(
    r"""[\s，。；、：！？,;]+                 # separators left from the previous clause (use .match)
    """,
    re.VERBOSE,
)

# Separators that may end a clause before its annotation (kept: 。！？).
CLAUSE_TRAILING = re.compile(
    r"""[\s，；、：,;]+$                      # a comma or semicolon before the bracket
    """,
    re.VERBOSE,
)

# The end of a heading's title inside a paragraph.
SENTENCE_END = re.compile(
    r"""[。！？]                              # a full stop, exclamation or question mark
    """,
    re.VERBOSE,
)
