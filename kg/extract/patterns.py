"""The regular expressions the extractors share, compiled once.

Organised by what they find. Each long pattern is ``re.VERBOSE`` with a
comment per line; groups are named so that callers never count parentheses.
"""

from __future__ import annotations

import re

# --- Brackets -----------------------------------------------------------------
# normalize.py maps ASCII round brackets to the full-width ones; square ones
# ([…], 【…】, 〔…〕) also hold annotations in some documents.
OPEN = "（"
CLOSE = "）"
BRACKET_PAIRS = {"（": "）", "【": "】", "[": "]", "〔": "〕"}
OPENERS = "".join(BRACKET_PAIRS)
CLOSERS = "".join(BRACKET_PAIRS.values())
ANY_OPEN = re.compile(
    r"""[（【\[〔]                           # any opening bracket an annotation may use
    """,
    re.VERBOSE,
)

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

# 等 before 各… ends the list of named units and starts a new name:
# 区财政局、区商务局等各惠企政策发布部门 → …, 区商务局, 各惠企政策发布部门.
ETC_BEFORE_COLLECTIVE = re.compile(
    r"""等                                   # "and others"
        (?=各[\u4e00-\u9fff])                # followed by 各 and a name
    """,
    re.VERBOSE,
)

# A trailing 等 with a generic tail and nothing after it is not a unit:
# 等, 等部门, 等有关部门, 等相关单位, 等省直有关部门, 等其他部门.
TRAILING_ETC = re.compile(
    r"""等                                   # "and others"
        (?:[省市区县](?:（中）)?直)?            # owned by the province/city (省直 …)
        (?:相关|有关|其他|其它)?               # related / other
        (?:部门|单位|机构|方面)?               # departments / units
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

# --- Unit names in prose ------------------------------------------------------

# A name that is surely a unit (or a collective of units), so that a list of
# them may be read as an annotation without a role word: （区发改局、区统计局）,
# 由区发改局、区统计局负责落实.
UNIT_LIKE = re.compile(
    r"""^(?:各|相关|有关|其他|其它)            # a collective: 各地, 各有关部门, 相关单位
         [\u4e00-\u9fff]{1,12}$
      | ^[\u4e00-\u9fff（）]{1,30}            # or a name ending in a unit word:
         (?:局|委|办|厅|部|处|署|院|会|中心|公司|集团|政府|街道|街镇|镇|乡
           |办事处|大队|支队|所|站|行|社|馆|园区|区块|片区|部门|单位|组)$
    """,
    re.VERBOSE,
)

# A rule stated once for the document: the first unit of a list is its lead.
# 列第一位的为牵头单位 / 列第一位为牵头或汇总单位，下同 / 排在首位的为牵头部门
FIRST_LISTED_LEADS = re.compile(
    r"""(?:列|排|居)在?                       # "listed" / "ranked"
        (?:第一位|首位|第一|最前)              # first
        (?:的|者)?(?:单位|部门)?                # (the unit)
        为(?:工作|主要)?牵头                    # is the (work's) lead …
    """,
    re.VERBOSE,
)

# Clauses of a role bracket that state a rule rather than name units.
RULE_CLAUSE = re.compile(
    r"""^(?:下同|以下同|后同)$                 # "the same below"
      | (?:列|排|居)在?(?:第一位|首位|第一|最前)   # the first-listed rule itself
      | 除标注为                              # 除标注为“牵头”单位外，…
    """,
    re.VERBOSE,
)

# A clause of a role bracket that says when, not who: 年内持续推进, 2025年6月底前完成, 长期坚持.
DEADLINE_CLAUSE = re.compile(
    r"""^(?:(?:20\d\d年)?(?:年内|年底前?|年末|全年|上半年|下半年|[一二三四]季度|\d{1,2}月(?:底|中旬|上旬|下旬)?前?
           |\d{1,2}月\d{1,2}日前|(?:20\d\d年)?\d{1,2}月(?:底|末)?前)
         (?:持续推进|完成|基本完成|全面完成|取得(?:明显|阶段性)?成效|落实到位|见效)?
       | 长期(?:坚持|推进)|持续推进|逐年推进|常态化推进)$
    """,
    re.VERBOSE,
)

# A table cell that gives a time limit: 12月底前, 5月底前动工, 9月投入使用, 2025年6月底,
# 年底前完成, 三季度末, 长期坚持 (a date first, then at most a few words of what happens by then).
DEADLINE_CELL = re.compile(
    r"""^(?:(?:20\d\d年)?(?:\d{1,2}月(?:\d{1,2}日)?(?:底|末|中旬|上旬|下旬|份)?|年底|年内|年末|上半年|下半年|全年
             |[一二三四]季度末?)前?[\u4e00-\u9fff]{0,6}
         | 长期(?:坚持|推进)|持续推进|逐年推进|常态化推进)[。；]?$
    """,
    re.VERBOSE,
)

# A name and a post written together in a leader list: 张三副市长, 副区长李四.
LEADER_POST = re.compile(
    r"""^(?P<post1>(?:常务)?副?(?:省长|市长|区长|县长|州长|镇长|主任|秘书长|书记))?  # post before the name
        (?P<name>[\u4e00-\u9fff]{2,4}?)                                          # the name
        (?P<post2>(?:常务)?副?(?:省长|市长|区长|县长|州长|镇长|主任|秘书长|书记))?$  # or after it
    """,
    re.VERBOSE,
)

# A heading naming the leader of every task below it: 一、于海田市长主抓重点工作
HEADING_LEADER = re.compile(
    r"""(?P<name>[\u4e00-\u9fff]{2,3}?)                     # the leader's name (use .match)
        (?P<post>(?:常务)?副?(?:省长|市长|区长|县长|州长)) # the post
        (?:同志)?
        (?P<verb>主抓|牵头|分管|负责|联系|领衔)             # what the leader does
    """,
    re.VERBOSE,
)

# Two unit names run together without a separator: 区发改局区统计局 → 区发改局 | 区统计局,
# 县教体局各相关乡镇政府 → 县教体局 | 各相关乡镇政府.
RUN_TOGETHER = re.compile(
    r"""(?<=[局委办厅])                        # after a name ending in a unit word
        (?=[区市县](?!场|直|属|级|域)          # a new name starts with a region prefix
           [\u4e00-\u9fff]{1,12}?[局委办厅](?![\u4e00-\u9fff]))   # and ends one at a name end
      | (?<=[局厅])(?=各[\u4e00-\u9fff]{2})    # or a collective starts after a bureau
    """,
    re.VERBOSE,
)

# The region prefix a list's first name carries (区发改委、财政局 → 区).
REGION_PREFIX = re.compile(
    r"""^(?:省|市|区|县)(?!场|直|属|级|域|委|政府)   # a one-character prefix, not 市场监管局, 区委
    """,
    re.VERBOSE,
)

# A name that may inherit a shared prefix: a department, without a region word.
PREFIXABLE = re.compile(
    r"""^(?![省市区县](?!场))                 # not already prefixed (市场监管局 is not)
        (?!各|相关|有关|其他|团)               # not a collective, not 团区委
        (?:市场|[^省市县区镇乡街村（）])*?        # no region word inside (市场 is not one)
        (?:局|委|办|厅)$                      # a government department
    """,
    re.VERBOSE,
)

# A unit name somewhere in a text (to report a bracket with roles it cannot read).
UNIT_INSIDE = re.compile(
    r"""[\u4e00-\u9fff]{1,12}                # the name's body
        (?:局|委|办|厅|部门|单位)              # ending in a department word
    """,
    re.VERBOSE,
)

# Where a line or a sentence ends: a role line or role sentence may start after it.
SEGMENT_START = re.compile(
    r"""[\n。！？]                            # a line break or a sentence end
        [ \t\n]*                             # and the blanks after it
    """,
    re.VERBOSE,
)

# The end of a sentence or of a line.
SENTENCE_OR_LINE = re.compile(
    r"""[。！？\n]                            # full stop, exclamation, question mark, line break
    """,
    re.VERBOSE,
)

# A separator between the clauses of a role bracket.
CLAUSE_SEP = re.compile(
    r"""[，,。]                               # comma or full stop
    """,
    re.VERBOSE,
)
