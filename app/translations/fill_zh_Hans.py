"""Fill the zh_Hans catalog from the ZH dictionary below; repeatable, and it never guesses.

Usage (from the repo root, after `make translations-update`):

    .venv/bin/python app/translations/fill_zh_Hans.py

Every msgid found in ZH gets that translation (and loses any fuzzy flag). The script exits 1 and lists
the msgids that are still untranslated or fuzzy: add them to ZH and run it again. Plural messages are
keyed by their singular msgid; Chinese has one plural form, so the text fills msgstr[0].

Terms: golden case 金标准案例, reference answer 参考答案, rationale 理由, root cause 根因, Key User 关键用户,
pass 通过, block 拦截, escalate 升级, calibration 校准, QA 质检, sample 抽样, dispute 申诉, decision agent
决策智能体, agent (the reviewer role) 审核员. TP/TN/FP/FN and SOP stay as they are.
"""

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO_PATH = Path(__file__).resolve().parent / "zh_Hans" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")

ZH: dict[str, str] = {
    "%(c)s of %(n)s audited decisions correct": "%(n)s 条已质检决策中 %(c)s 条正确",
    "%(c)s of %(n)s decisions covered": "%(n)s 条决策中已覆盖 %(c)s 条",
    "%(cases)s cases, %(people)s participants, %(answers)s answers. Computed %(when)s UTC.": (
        "%(cases)s 个案例，%(people)s 名参与者，%(answers)s 个答案。计算于 %(when)s UTC。"
    ),
    "%(done)s of %(total)s answered": "已答 %(done)s / %(total)s",
    "%(done)s of %(total)s labelled. You label blind: nobody sees your answers, and you see no one "
    "else's, until the session closes.": (
        "已标注 %(done)s / %(total)s。本场为盲标：场次结束前，其他人看不到您的答案，您也看不到其他人的答案。"
    ),
    "%(field)s must be a date like 2026-11-24.": "%(field)s 须为日期，如 2026-11-24。",
    "%(field)s: %(problem)s": "%(field)s：%(problem)s",
    "%(h)s h old": "已等待 %(h)s 小时",
    "%(n)s answered · %(acc)s right": "已答 %(n)s 题 · 正确率 %(acc)s",
    "%(n)s answered · %(acc)s right so far": "已答 %(n)s 题 · 目前正确率 %(acc)s",
    "%(n)s cases, pass %(mark)s, retake after %(h)s h, %(a)s attempts, valid %(d)s days": (
        "%(n)s 个案例，及格线 %(mark)s，%(h)s 小时后可补考，可考 %(a)s 次，有效期 %(d)s 天"
    ),
    "%(n)s claimed": "已领取 %(n)s",
    "%(n)s decisions audited by two leads blind: they agreed on %(pct)s.": (
        "%(n)s 条决策由两位主管盲审：一致率为 %(pct)s。"
    ),
    "%(n)s decisions sampled for %(week)s.": "已为 %(week)s 抽取 %(n)s 条决策。",
    "%(n)s done": "已完成 %(n)s",
    "%(n)s missed": "漏升级 %(n)s 个",
    "%(n)s retired": "已停用 %(n)s 个",
    "%(n)s with %(num)s error": "%(n)s 次（含 %(num)s 个错误）",
    "%(n)s with a critical finding": "%(n)s 条有致命问题",
    "%(name)s SOP": "%(name)s SOP",
    "%(num)s Key User case was not escalated. Any missed Key User fails the exam, whatever the percentage.": (
        "有 %(num)s 个关键用户案例未升级。只要漏升级任何一个关键用户案例，无论正确率多少，考试均不通过。"
    ),
    "%(num)s active golden case": "%(num)s 个启用中的金标准案例",
    "%(num)s case": "%(num)s 个案例",
    "%(num)s case is unanswered and will count as wrong.": "有 %(num)s 个案例未作答，将计为错误。",
    "%(num)s case, pass mark %(mark)s": "%(num)s 个案例，及格线 %(mark)s",
    "%(num)s decision stored; %(duplicates)s already stored.": (
        "已保存 %(num)s 条决策；%(duplicates)s 条此前已保存。"
    ),
    "%(num)s pairable case": "%(num)s 个可配对案例",
    "%(num)s problem; nothing was imported.": "发现 %(num)s 个问题，未导入任何内容。",
    "%(num)s wrong recommendation": "%(num)s 条错误建议",
    "%(pct)s of the worst possible": "为最差可能得分的 %(pct)s",
    "%(type)s precision": "%(type)s 精确率",
    "%(type)s recall": "%(type)s 召回率",
    "%(week)s was already sampled with this plan; nothing was added.": (
        "%(week)s 已按此方案抽样过，未新增任何内容。"
    ),
    "%(week)s: %(acc)s of %(n)s audits": "%(week)s：%(n)s 次质检，准确率 %(acc)s",
    "(no scenario given)": "（未填写场景）",
    "0.667 tentative": "0.667 暂定",
    "0.800 reliable": "0.800 可靠",
    "2 to 8 capital letters or digits.": "2 到 8 位大写字母或数字。",
    "75 or more makes a Key User.": "75 及以上即为关键用户。",
    "95% Wilson band": "95% Wilson 区间",
    "95%% interval %(lo)s – %(hi)s": "95%% 区间 %(lo)s – %(hi)s",
    "A CSV file with one decision per row. Every row is checked first; if any has a problem, nothing "
    "is imported.": ("每行一条决策的 CSV 文件。所有行都会先经过校验；只要有一行有问题，就不会导入任何内容。"),
    "A JSON file in the seed_cases format. Every case is checked first; if any has a problem, nothing "
    "is imported.": (
        "seed_cases 格式的 JSON 文件。所有案例都会先经过校验；只要有一个有问题，就不会导入任何内容。"
    ),
    "A case type with that slug exists.": "已存在使用该标识的案例类型。",
    "A session holds at most %(n)s cases.": "每个场次最多包含 %(n)s 个案例。",
    "A short code, like ato.new_device_withdrawal.": "简短代码，如 ato.new_device_withdrawal。",
    "A signal is text, a number, true/false or null.": "信号值须为文本、数字、true/false 或 null。",
    "A team with that name exists.": "已存在同名团队。",
    "A: feature weight bias": "A：特征权重偏差",
    "API tokens": "API 令牌",
    "Accept into the SOP": "采纳进 SOP",
    "Accepted": "已采纳",
    "Accepted: the SOP has a new version.": "已采纳：SOP 已生成新版本。",
    "Access": "访问权限",
    "Accuracy": "准确率",
    "Accuracy vs reference": "相对参考答案的准确率",
    "Active": "启用中",
    "Admin": "管理员",
    "Age": "已等待",
    "Agent": "审核员",
    "Agent error": "审核员失误",
    "Agent said": "智能体建议",
    "Agents": "审核员",
    "Agreement over time": "一致性趋势",
    "Agreement report": "一致性报告",
    "Agrees with majority": "与多数一致",
    "All": "全部",
    "All case types": "全部案例类型",
    "All scenarios": "全部场景",
    "All teams": "全部团队",
    "Alpha": "Alpha",
    "Alpha (decisions)": "Alpha（决策）",
    "Alpha trend": "Alpha 趋势",
    "Alpha without a participant above the session's alpha means they pull agreement down.": (
        "去掉某位参与者后的 Alpha 若高于本场 Alpha，说明此人拉低了一致性。"
    ),
    "Alpha without them": "去掉此人后的 Alpha",
    "Amend and re-score": "修正并重新评分",
    "Amend the golden reference answer (a new version; answers to it are re-scored)": (
        "修正金标准参考答案（生成新版本；针对它的答案将重新评分）"
    ),
    "An incorrect decision needs a severity.": "错误的决策须填写严重程度。",
    "Another lead or a manager must resolve a dispute of your verdict.": (
        "针对您的质检结论的申诉须由其他主管或经理处理。"
    ),
    "Answer amended; %(n)s exam attempts re-scored.": "答案已修正；已重新评分 %(n)s 次考试。",
    "Answer history": "答案历史",
    "Answered": "已作答",
    "Any status": "全部状态",
    "Apply": "应用",
    "At 98%% accuracy, one week of audits gives a 95%% interval of ±%(w)s; a quarter (13 weeks) gives "
    "±%(q)s.": ("在 98%% 准确率下，一周的质检可得到 ±%(w)s 的 95%% 区间；一个季度（13 周）可得到 ±%(q)s。"),
    "At least 10 characters.": "至少 10 个字符。",
    "At least 10 characters. Their sessions end and their API tokens are revoked.": (
        "至少 10 个字符。该用户的所有会话将被终止，其 API 令牌将被吊销。"
    ),
    "Attempts before a lead must reset": "需主管重置前可考次数",
    "Audit": "质检",
    "Audit decision %(id)s": "质检决策 %(id)s",
    "Audit disputes": "质检申诉",
    "Audit queue": "质检队列",
    "Audit saved.": "质检已保存。",
    "Audit updated.": "质检已更新。",
    "Audited": "已质检",
    "Audited accuracy %(acc)s over %(n)s audits is below the 98%% benchmark.": (
        "%(n)s 次质检的准确率为 %(acc)s，低于 98%% 的基准。"
    ),
    "Audited accuracy by week": "每周质检准确率",
    "Audits needed to show accuracy ≥ 98%% with 95%% confidence:": (
        "以 95%% 置信度证明准确率 ≥ 98%% 所需的质检数："
    ),
    "Automated QA findings": "自动质检问题",
    "B: threshold miscalibration": "B：阈值校准偏差",
    "Back to Touchstone": "返回 Touchstone",
    "Base rate": "基础抽样率",
    "Base rate (0–1)": "基础抽样率（0–1）",
    "Block": "拦截",
    "Block, escalate, FP and FN need a rationale.": "拦截、升级以及 FP、FN 须填写理由。",
    "By": "修改人",
    "C: SOP gap or logic error": "C：SOP 缺失或逻辑错误",
    "Calibration": "校准",
    "Calibration alpha trend": "校准 Alpha 趋势",
    "Calibration sessions": "校准场次",
    "Cancel": "取消",
    "Capacity must be at least 1.": "产能至少为 1。",
    "Case": "案例",
    "Case %(n)s": "第 %(n)s 题",
    "Case %(n)s of %(total)s. Blind: you see no one else's answer and no reference until the lead "
    "closes the session.": (
        "第 %(n)s 题，共 %(total)s 题。盲标：主管结束场次前，您看不到其他人的答案，也看不到参考答案。"
    ),
    "Case %(n)s of %(total)s. No feedback until you submit the whole exam; you can change answers "
    "until then.": ("第 %(n)s 题，共 %(total)s 题。提交整场考试前不会显示反馈；提交前可随时修改答案。"),
    "Case exposure": "案例曝光度",
    "Case restored.": "案例已恢复。",
    "Case retired.": "案例已停用。",
    "Case type": "案例类型",
    "Case type saved.": "案例类型已保存。",
    "Case types": "案例类型",
    "Cases": "案例",
    "Cases in this exam": "本场考试的案例",
    "Cases, most disputed first": "案例（分歧最大的在前）",
    "Certification exam: %(acc)s": "认证考试：%(acc)s",
    "Certification exam: %(name)s": "认证考试：%(name)s",
    "Certification exams": "认证考试",
    "Certification rules": "认证规则",
    "Certification valid for (days)": "认证有效期（天）",
    "Certifications": "认证",
    "Certified": "已认证",
    "Certified until %(date)s.": "认证有效期至 %(date)s。",
    "Certified, expiring soon": "已认证，即将到期",
    "Change password": "修改密码",
    "Check and import": "校验并导入",
    "Choose A, B or C, or leave it empty.": "请选择 A、B 或 C，或留空。",
    "Choose A, B, C or agent error.": "请选择 A、B、C 或审核员失误。",
    "Choose A, B, C or agent_error, or leave it empty.": "请选择 A、B、C 或 agent_error，或留空。",
    "Choose TP, TN, FP or FN, or leave it empty.": "请选择 TP、TN、FP 或 FN，或留空。",
    "Choose TP, TN, FP or FN.": "请选择 TP、TN、FP 或 FN。",
    "Choose a CSV file.": "请选择 CSV 文件。",
    "Choose a case type.": "请选择案例类型。",
    "Choose active or retired.": "请选择启用中或已停用。",
    "Choose practice, exam or control.": "请选择 practice（练习）、exam（考试）或 control（暗检）。",
    "Choose an outcome and explain it.": "请选择处理结果并说明理由。",
    "Choose at least one case.": "请至少选择一个案例。",
    "Choose at least one participant.": "请至少选择一名参与者。",
    "Choose at least one scope.": "请至少选择一个权限范围。",
    "Choose correct or incorrect.": "请选择正确或错误。",
    "Choose critical, major or minor.": "请选择致命、严重或轻微。",
    "Choose easy, medium or hard.": "请选择简单、中等或困难。",
    "Choose pass, block or escalate.": "请选择通过、拦截或升级。",
    "Choose scopes from: api, ingest.": "权限范围可选：api、ingest。",
    "Choose uphold, overturn or partly accept.": "请选择维持、推翻或部分采纳。",
    "Claim the next sample": "领取下一条样本",
    "Close and compute the report": "结束并生成报告",
    "Close the session before settling its cases.": "请先结束场次，再对其中的案例定案。",
    "Closed": "结束时间",
    "Cohen's kappa": "Cohen's kappa",
    "Cohort": "学员",
    "Column": "列",
    "Compare versions": "版本对比",
    "Compare with v%(v)s": "与 v%(v)s 对比",
    "Confidence": "置信度",
    "Confidence (0–1)": "置信度（0–1）",
    "Confidence interval": "置信区间",
    "Confidence interval %(lo)s to %(hi)s": "置信区间 %(lo)s 至 %(hi)s",
    "Confidence of the pattern's wrong recommendations": "该模式下错误建议的置信度",
    "Confusion matrix of decisions": "决策混淆矩阵",
    "Contest this reference answer": "对此参考答案提出申诉",
    "Contested and most-missed cases": "被申诉及最常答错的案例",
    "Contested golden cases": "被申诉的金标准案例",
    "Cooldown before a retake (hours)": "补考冷却时间（小时）",
    "Copy this token now. It will not be shown again.": "请立即复制此令牌，之后将不再显示。",
    "Correct": "正确",
    "Corrected decision": "更正后的决策",
    "Corrected label": "更正后的标注",
    "Cost-weighted score": "成本加权得分",
    "Count": "次数",
    "Create the session": "创建场次",
    "Create token": "创建令牌",
    "Create user": "创建用户",
    "Created": "创建时间",
    "Created %(when)s": "创建于 %(when)s",
    "Critical": "致命",
    "Critical findings": "致命问题",
    "Cumulative": "累计",
    "Cumulative share": "累计占比",
    "Current password": "当前密码",
    "Dashboards": "看板",
    "Dates are ISO 8601 with a time zone; signals is a JSON object in one cell; label, root cause, "
    "scenario, rationale and signals may be left empty.": (
        "日期采用带时区的 ISO 8601 格式；signals 为单个单元格中的 JSON 对象；标注、根因、场景、理由和信号可"
        "留空。"
    ),
    "Deactivate": "停用",
    "Deactivated": "已停用",
    "Deactivated: sessions ended and tokens revoked.": "已停用：会话已终止，令牌已吊销。",
    "Deactivating ends their sessions at once and revokes their API tokens.": (
        "停用后将立即终止该用户的会话，并吊销其 API 令牌。"
    ),
    "Deadline": "截止时间",
    "Deadline (UTC)": "截止时间（UTC）",
    "Decided": "决策时间",
    "Decision": "决策",
    "Decision accuracy": "决策准确率",
    "Decision agent": "决策智能体",
    "Decision agent confidence on FP and FN cases": "决策智能体在 FP 和 FN 案例上的置信度",
    "Decision agent precision and recall on risk": "决策智能体对风险的精确率与召回率",
    "Decision agent quality": "决策智能体质量",
    "Decision agent's recommendation": "决策智能体的建议",
    "Decisions": "决策数",
    "Decisions against the audited reference": "决策与质检参考答案对比",
    "Decisions file (CSV, UTF-8)": "决策文件（CSV，UTF-8）",
    "Decisions whose label or audit says the decision agent was wrong (FP or FN), grouped. Turn one "
    "into a calibration session in one step.": (
        "按组列出标注或质检认定决策智能体出错（FP 或 FN）的决策。可一步将其转为校准场次。"
    ),
    "Decisions: reference (rows) × given (columns)": "决策：参考答案（行）× 实际作答（列）",
    "Describe the situation the SOP does not cover and draft the text you would add. A QA lead accepts "
    "or rejects it.": ("描述 SOP 未覆盖的情形，并起草您建议补充的内容。质检主管将决定采纳或驳回。"),
    "Description": "说明",
    "Difficulty": "难度",
    "Discussion note": "讨论记录",
    "Display name": "显示名称",
    "Dispute": "申诉",
    "Dispute on %(key)s": "关于 %(key)s 的申诉",
    "Dispute resolved.": "申诉已处理。",
    "Dispute sent. Another lead or a manager will decide.": "申诉已提交，将由其他主管或经理裁定。",
    "Disputes": "申诉",
    "Done.": "已完成。",
    "Download the template CSV": "下载 CSV 模板",
    "Draft addition (Markdown)": "补充草案（Markdown）",
    "Duplicate of item %(other)s.": "与条目 %(other)s 重复。",
    "Duplicate of row %(other)s.": "与第 %(other)s 行重复。",
    "Each audit must be a JSON object.": "每条质检必须是 JSON 对象。",
    "Each case must be a JSON object.": "每个案例必须是 JSON 对象。",
    "Each decision must be a JSON object.": "每条决策必须是 JSON 对象。",
    "Easy": "简单",
    "Edit": "编辑",
    "Edit %(key)s": "编辑 %(key)s",
    "Edit SOP": "编辑 SOP",
    "Edit case type": "编辑案例类型",
    "Edit team": "编辑团队",
    "Edit the %(name)s SOP": "编辑 %(name)s SOP",
    "Empty takes every matching case.": "留空则选取所有符合条件的案例。",
    "Enter a new password.": "请输入新密码。",
    "Escalate": "升级",
    "Every case": "逐题回顾",
    "Every team": "全部团队",
    "Everyone": "所有人",
    "Exam": "考试",
    "Exam attempted": "已参加考试",
    "Exam attempts": "考试记录",
    "Exam available again from %(when)s UTC.": "%(when)s UTC 起可再次考试。",
    "Exam cases": "考试案例数",
    "Exam result": "考试结果",
    "Exam result: %(name)s": "考试结果：%(name)s",
    "Exams are closed while suspended; practise the remediation set.": "暂停期间不能考试；请练习补救案例集。",
    "Expected %(expected)s values, found %(found)s.": "应有 %(expected)s 个值，实际为 %(found)s 个。",
    "Expected a %(format)s file.": "应为 %(format)s 文件。",
    'Expected an object with a "%(name)s" list.': '应为包含 "%(name)s" 列表的对象。',
    'Expected an object with a "cases" list.': '应为包含 "cases" 列表的对象。',
    "Expected format %(format)s.": "格式应为 %(format)s。",
    "Expired": "已过期",
    "Expires": "到期时间",
    "Explain the outcome to the agent.": "请向审核员说明处理结果。",
    "Export": "导出",
    "Export JSON": "导出 JSON",
    "FP and FN by case type, scenario and root cause": "按案例类型、场景和根因统计的 FP 与 FN",
    "FP and FN need a root cause: A, B or C.": "FP 和 FN 须填写根因：A、B 或 C。",
    "Feedback": "反馈",
    "Feedback routing": "反馈分派",
    "Feedback: %(name)s": "反馈：%(name)s",
    "Field": "字段",
    "Filter": "筛选",
    "Filter by role": "按角色筛选",
    "Final answer": "最终答案",
    "Finding": "问题",
    "Flag a gap in the %(name)s SOP": "报告 %(name)s SOP 的缺口",
    "Flag an SOP gap": "报告 SOP 缺口",
    "Flag the gap": "提交缺口",
    "Flagged by %(who)s on %(when)s": "由 %(who)s 于 %(when)s 报告",
    "For each case type: read the SOP, practise on golden cases, then pass the certification exam.": (
        "每个案例类型：先阅读 SOP，再用金标准案例练习，然后通过认证考试。"
    ),
    "From": "从",
    "From reviewers' TP/TN/FP/FN labels on live decisions. Targets: precision on risk above %(p)s, "
    "recall above %(r)s.": (
        "基于审核员对线上决策的 TP/TN/FP/FN 标注。目标：风险精确率高于 %(p)s，召回率高于 %(r)s。"
    ),
    "Give 1 to 10 non-empty reasoning steps.": "请填写 1 到 10 条非空的推理步骤。",
    "Give 1 to 40 signals as a JSON object.": "请以 JSON 对象形式提供 1 到 40 个信号。",
    "Give a number from 0 to 1.": "请输入 0 到 1 之间的数字。",
    "Give the deadline as a date and time.": "请以日期和时间填写截止时间。",
    "Give a reason for the suspension.": "请填写暂停原因。",
    "Give a username of 1 to 64 characters.": "用户名须为 1 到 64 个字符。",
    "Give a whole number from 0 to 100.": "请输入 0 到 100 之间的整数。",
    "Give the new golden case a key.": "请为新金标准案例填写编号。",
    "Give the note as text of at most 4000 characters.": "备注须为文本，最多 4000 个字符。",
    "Give the rationale as text of at most 10000 characters.": "理由须为文本，最多 10000 个字符。",
    "Give the signals as a JSON object, or leave them empty.": "信号须为 JSON 对象，或留空。",
    "Give the week as YYYY-Www, like 2026-W47.": "请按 YYYY-Www 格式填写周次，如 2026-W47。",
    "Given": "实际作答",
    "Golden case %(key)s created.": "金标准案例 %(key)s 已创建。",
    "Golden cases": "金标准案例",
    "Golden cases file (JSON)": "金标准案例文件（JSON）",
    "Golden cases use this slug, so it cannot change.": "已有金标准案例使用此标识，无法修改。",
    "Graded": "已评分",
    "Grading the graders": "质检员之间的一致性",
    "Hard": "困难",
    "Hold Ctrl or ⌘ to choose several.": "按住 Ctrl 或 ⌘ 可多选。",
    "Home": "首页",
    "How many golden cases to draw": "抽取的金标准案例数",
    "ISO week": "ISO 周",
    "Import": "导入",
    "Import JSON": "导入 JSON",
    "Import decisions": "导入决策",
    "Import golden cases": "导入金标准案例",
    "Import live decisions": "导入线上决策",
    "Imported %(n)s golden cases.": "已导入 %(n)s 个金标准案例。",
    "Incorrect": "错误",
    "Initial password": "初始密码",
    "Interval": "区间",
    "Item": "条目",
    "Keep me signed in on this device": "在此设备上保持登录",
    "Keep the rationale to three sentences at most.": "理由最多三句话。",
    "Keep the rationale under 1200 characters.": "理由不得超过 1200 个字符。",
    "Keep the rationale under 2000 characters.": "理由不得超过 2000 个字符。",
    "Key": "编号",
    "Key User": "关键用户",
    "Key User cases (priority 75 or more) are always escalated.": (
        "关键用户案例（优先级 75 及以上）一律升级。"
    ),
    "Key User compliance": "关键用户合规",
    "Key User: always escalate": "关键用户：一律升级",
    "Keys: 1 pass, 2 block, 3 escalate · 4 TP, 5 TN, 6 FP, 7 FN · 0/A/B/C root cause · R rationale": (
        "快捷键：1 通过，2 拦截，3 升级 · 4 TP，5 TN，6 FP，7 FN · 0/A/B/C 根因 · R 理由"
    ),
    "Krippendorff's alpha (decisions) by case type": "按案例类型的 Krippendorff's alpha（决策）",
    "Label": "标注",
    "Label accuracy": "标注准确率",
    "Label of the agent's recommendation": "对智能体建议的标注",
    "Labelled": "已标注",
    "Language": "语言",
    "Last exam: %(result)s": "上次考试：%(result)s",
    "Last sign-in": "上次登录",
    "Last used": "上次使用",
    "Lately each agent decides about %(n)s cases a week; this plan audits about %(e)s of them per "
    "agent per week, plus every critical finding and Key User case.": (
        "近期每名审核员每周约处理 %(n)s 个案例；此方案每周对每名审核员约质检其中 %(e)s 个，另加所有致命问题"
        "和关键用户案例。"
    ),
    "Lift suspension": "解除暂停",
    "Like 2026-W47.": "如 2026-W47。",
    "Like KYC-3.2.": "如 KYC-3.2。",
    "Like KYC; SOP references read KYC-3.2.": "如 KYC；对应的 SOP 引用形如 KYC-3.2。",
    "Like kyc.doc_tamper.": "如 kyc.doc_tamper。",
    "Like kyc.doc_tamper; empty for every scenario.": "如 kyc.doc_tamper；留空表示全部场景。",
    "Live": "有效",
    "Live QA": "线上质检",
    "Low confidence means below": "低置信度指低于",
    "Lowercase letters, digits and _.": "小写字母、数字和 _。",
    "Main": "主导航",
    "Major": "严重",
    "Majority": "多数意见",
    "Majority right?": "多数正确？",
    "Make a calibration session": "创建校准场次",
    "Manager": "经理",
    "Managers": "经理",
    "Mark resolved": "标记为已解决",
    "Mark routed": "标记为已分派",
    "Medium": "中等",
    "Minor": "轻微",
    "Misclassification batches": "误判批次",
    "Miss rate": "错误率",
    "Most-missed cases": "最常答错的案例",
    "My audited decisions": "我被质检的决策",
    "My audits": "我的质检",
    "My learning": "我的学习",
    "My quality": "我的质量",
    "Name": "名称",
    "Name the session.": "请填写场次名称。",
    "Name the team.": "请填写团队名称。",
    "Name the token.": "请填写令牌名称。",
    "New calibration session": "新建校准场次",
    "New case type": "新建案例类型",
    "New golden case": "新建金标准案例",
    "New golden case key": "新金标准案例编号",
    "New password": "新密码",
    "New password again": "再次输入新密码",
    "New plan": "新建方案",
    "New sampling plan": "新建抽样方案",
    "New session": "新建场次",
    "New team": "新建团队",
    "New token": "新建令牌",
    "New user": "新建用户",
    "Next": "下一页",
    "Next case": "下一个案例",
    "No FP or FN decisions in this period.": "此期间没有 FP 或 FN 决策。",
    "No SOP gaps here.": "这里没有 SOP 缺口。",
    "No SOP yet.": "暂无 SOP。",
    "No active golden cases match.": "没有符合条件的启用中金标准案例。",
    "No agents yet.": "暂无审核员。",
    "No agents.": "暂无审核员。",
    "No attempts left: ask your QA lead to reset them.": "考试次数已用完：请联系质检主管重置。",
    "No audits in this period.": "此期间没有质检。",
    "No case has been shown yet.": "尚无案例被展示过。",
    "No case types yet.": "暂无案例类型。",
    "No case types yet. An admin can load them with “flask seed golden”.": (
        "暂无案例类型。管理员可运行“flask seed golden”加载。"
    ),
    "No certifications yet.": "暂无认证。",
    "No closed sessions yet.": "暂无已结束的场次。",
    "No decision has had a second, blind audit yet.": "尚无决策经过第二次盲审。",
    "No decisions in this period.": "此期间没有决策。",
    "No exams yet.": "暂无考试。",
    "No findings.": "没有问题。",
    "No golden cases match these filters.": "没有符合筛选条件的金标准案例。",
    "No labelled live decisions in this period.": "此期间没有已标注的线上决策。",
    "No live decisions in this period.": "此期间没有线上决策。",
    "No misclassified decisions yet.": "暂无误判的决策。",
    "No open disputes.": "暂无待处理的申诉。",
    "No sampling plans yet.": "暂无抽样方案。",
    "No sessions yet.": "暂无场次。",
    "No team": "无团队",
    "No teams yet.": "暂无团队。",
    "No tokens yet.": "暂无令牌。",
    "Nobody answered this case.": "无人作答此案例。",
    "Nobody is shown below or above the 98%% benchmark without statistical evidence: the 95%% interval "
    "must clear it.": (
        "没有统计证据时，不会将任何人显示为低于或高于 98%% 基准：95%% 区间必须完全位于基准一侧。"
    ),
    "None": "无",
    "None (TP or TN)": "无（TP 或 TN）",
    "None of your decisions has been audited yet.": "您的决策尚未被质检。",
    "None.": "无。",
    "Not enough evidence either way: %(n)s more audits, all correct, would show accuracy above 98%%.": (
        "证据尚不足以下结论：再有 %(n)s 次质检且全部正确，即可证明准确率高于 98%%。"
    ),
    "Not passed.": "未通过。",
    "Not started": "未开始",
    "Not the reference decision.": "与参考决策不一致。",
    "Note": "备注",
    "Note to the agent": "给审核员的说明",
    "Nothing changed, so no new version was made.": "内容没有变化，未生成新版本。",
    "Nothing changed.": "没有任何更改。",
    "Nothing changed: choose retire or restore.": "没有任何更改：请选择停用或恢复。",
    "Nothing missed yet.": "暂无答错记录。",
    "Onboarding": "入职培训",
    "Onboarding cohort": "入职培训学员",
    "Onboarding funnel": "入职培训漏斗",
    "Once submitted, answers are final and you will see the review of every case.": (
        "提交后答案不可更改，届时可查看每个案例的评析。"
    ),
    "One standard operating procedure per case type. Every edit is kept as a version.": (
        "每个案例类型对应一份标准作业程序（SOP）。每次编辑都会保存为一个版本。"
    ),
    "Only live cases can be promoted; golden cases are already in the set.": (
        "只有线上案例可以转为金标准案例；金标准案例已在案例集中。"
    ),
    "Open": "待处理",
    "Open disputes": "待处理申诉",
    "Opened": "创建于",
    "Opened at (ISO 8601, UTC)": "创建时间（ISO 8601，UTC）",
    "Or pick golden cases by key (one per line)": "或按编号挑选金标准案例（每行一个）",
    "Outcome": "处理结果",
    "Overturn it": "推翻结论",
    "Owner": "所有者",
    "Page %(page)s of %(pages)s": "第 %(page)s 页，共 %(pages)s 页",
    "Pages": "分页",
    "Pairwise Cohen's kappa (decisions)": "两两 Cohen's kappa（决策）",
    "Pairwise agreement": "两两一致性",
    "Participant": "参与者",
    "Participants": "参与者",
    "Participants are active agents and QA leads.": "参与者须为在职的审核员和质检主管。",
    "Partly accept (severity to minor)": "部分采纳（严重程度降为轻微）",
    "Pass": "通过",
    "Pass mark (decision accuracy, 0–1)": "及格线（决策准确率，0–1）",
    "Passed: you are certified for %(name)s.": "已通过：您已获得 %(name)s 认证。",
    "Password": "密码",
    "Password changed. You are signed out everywhere else, and your API tokens are revoked.": (
        "密码已修改。您已在其他所有地方退出登录，您的 API 令牌已被吊销。"
    ),
    "Password reset. %(name)s's sessions have ended and their API tokens are revoked.": (
        "密码已重置，%(name)s 的会话已全部终止，其 API 令牌已被吊销。"
    ),
    "Pattern updated.": "模式已更新。",
    "Patterns (recurring: %(k)s or more)": "错误模式（出现 %(k)s 次及以上为反复出现）",
    "Plan": "方案",
    "Plan name": "方案名称",
    "Plan saved (version %(v)s).": "方案已保存（第 %(v)s 版）。",
    "Plan version": "方案版本",
    "Please sign in to see this page.": "请登录后查看此页面。",
    "Please sign in.": "请登录。",
    "Practice": "练习",
    "Practice: %(name)s": "练习：%(name)s",
    "Practise": "练习",
    "Practising": "练习中",
    "Precision": "精确率",
    "Previous": "上一页",
    "Priority": "优先级",
    "Priority (0–100)": "优先级（0–100）",
    "Problem": "问题",
    "Profile": "个人资料",
    "Progress": "进度",
    "Promote into the golden set": "转入金标准案例集",
    "Promote to gold": "转为金标准案例",
    "Promoted: open the golden case": "已转入：打开金标准案例",
    "QA": "质检",
    "QA audits": "质检",
    "QA lead": "质检主管",
    "QA leads": "质检主管",
    "QA leads' weekly capacity (audits)": "质检主管每周产能（质检数）",
    "Quality dashboard": "质量看板",
    "Quality: %(name)s": "质量：%(name)s",
    "Rate": "比率",
    "Rate in an agent's first 30 days after certification": "审核员认证后前 30 天的抽样率",
    "Rates are between 0 and 1.": "比率须在 0 到 1 之间。",
    "Rationale": "理由",
    "Rationale (three sentences at most)": "理由（最多三句话）",
    "Re-certification opens 14 days before expiry.": "到期前 14 天开放重新认证。",
    "Re-certify": "重新认证",
    "Reactivate": "重新启用",
    "Reactivated.": "已重新启用。",
    "Read the SOP": "阅读 SOP",
    "Reason": "原因",
    "Reasoning steps (one per line)": "推理步骤（每行一条）",
    "Recall": "召回率",
    "Recommendation: %(decision)s (confidence %(confidence)s).": (
        "建议：%(decision)s（置信度 %(confidence)s）。"
    ),
    "Recommends": "建议",
    "Reference": "参考答案",
    "Reference (v%(v)s)": "参考答案（v%(v)s）",
    "Reference answer": "参考答案",
    "Reference answer (current v%(v)s); change it to amend": "参考答案（当前 v%(v)s）；修改即为修正",
    "Reference answer upheld.": "已维持参考答案。",
    "Reference decision": "参考决策",
    "Reject": "驳回",
    "Rejected": "已驳回",
    "Rejected.": "已驳回。",
    "Reliability data (CSV)": "信度数据（CSV）",
    "Reopen for more answers": "重新开放以收集更多答案",
    "Reset exam attempts": "重置考试次数",
    "Reset password": "重置密码",
    "Resolve": "处理",
    "Resolve a dispute": "处理申诉",
    "Restore": "恢复",
    "Result": "结果",
    "Resume the exam": "继续考试",
    "Retire": "停用",
    "Retired": "已停用",
    "Retraining batch (JSONL)": "再训练批次（JSONL）",
    "Review and submit": "检查并提交",
    "Reviews of earlier exams open again once you submit the exam in progress.": (
        "提交进行中的考试后，才能再次查看以往考试的评析。"
    ),
    "Revoke": "吊销",
    "Revoked": "已吊销",
    "Right decision.": "决策正确。",
    "Role": "角色",
    "Root cause": "根因",
    "Root cause (FP and FN only)": "根因（仅限 FP 和 FN）",
    "Root cause C adds the case to the SOP gap list.": "根因 C 会将此案例加入 SOP 缺口列表。",
    "Root-cause accuracy": "根因准确率",
    "Rotate out": "移出考试",
    "Rotated out of exams for %(n)s days.": "已移出考试 %(n)s 天。",
    "Route": "分派去向",
    "Row": "行",
    "Row numbers count the header as row 1, as a spreadsheet shows them.": (
        "行号与电子表格一致，表头为第 1 行。"
    ),
    "Run the plan on this week": "对本周执行此方案",
    "SLA": "SLA",
    "SLA clock": "SLA 计时",
    "SLA compliance: %(pct)s of %(n)s decisions within 4 hours": (
        "SLA 达成率：%(n)s 条决策中 %(pct)s 在 4 小时内完成"
    ),
    "SOP": "SOP",
    "SOP (Markdown; raw HTML is shown as text)": "SOP（Markdown；原始 HTML 将按文本显示）",
    "SOP coverage": "SOP 覆盖率",
    "SOP gap": "SOP 缺口",
    "SOP gap found in calibration session %(name)s.": "在校准场次 %(name)s 中发现的 SOP 缺口。",
    "SOP gaps": "SOP 缺口",
    "SOP gaps flagged": "已报告的 SOP 缺口",
    "SOP library": "SOP 库",
    "SOP prefix": "SOP 前缀",
    "SOP reference": "SOP 引用",
    "SOPs": "SOP",
    "Sampled": "抽样数",
    "Sampling plans": "抽样方案",
    "Save": "保存",
    "Save and next": "保存并继续",
    "Save case type": "保存案例类型",
    "Save new version": "保存为新版本",
    "Save team": "保存团队",
    "Save the note": "保存记录",
    "Save the plan": "保存方案",
    "Save the verdict": "保存质检结论",
    "Saved as version %(v)s.": "已保存为第 %(v)s 版。",
    "Saved.": "已保存。",
    "Saved. The answer is at version %(v)s.": "已保存。答案已更新至第 %(v)s 版。",
    "Saving makes version %(v)s. Number sections like “## 3. Title” and “### 3.2 Title”, and list the "
    "scenarios a section covers on a line “Covers: tag, tag”.": (
        "保存后将生成第 %(v)s 版。章节请按“## 3. Title”和“### 3.2 Title”的格式编号，并在单独一行用“Covers: "
        "tag, tag”列出该章节覆盖的场景。"
    ),
    "Say what the SOP misses.": "请说明 SOP 缺少什么。",
    "Say why the reference answer is wrong.": "请说明参考答案错在哪里。",
    "Say why the verdict is wrong.": "请说明质检结论错在哪里。",
    "Scenario": "场景",
    "Scenario filter (optional)": "场景筛选（可选）",
    "Scenario tag": "场景标签",
    "Scenario tag it concerns": "涉及的场景标签",
    "Scenarios": "场景",
    "Scopes": "权限范围",
    "Section": "章节",
    "Section it extends (optional)": "补充的章节（可选）",
    "Section numbers must be unique: %(n)s.": "章节编号不能重复：%(n)s。",
    "Sections and the scenarios they cover": "章节及其覆盖的场景",
    "Seed": "随机种子",
    "Send at most %(max)s items per request.": "每次请求最多发送 %(max)s 条。",
    "Send the dispute": "提交申诉",
    "Send to a QA lead": "提交给质检主管",
    "Sentences: %(n)s of 3": "句数：%(n)s / 3",
    "Session": "场次",
    "Session closed": "场次结束时间",
    "Session closed; the report is ready.": "场次已结束，报告已生成。",
    "Session created with %(n)s cases.": "场次已创建，共 %(n)s 个案例。",
    "Session name": "场次名称",
    "Session overview": "场次概览",
    "Session reopened.": "场次已重新开放。",
    "Settle": "定案",
    "Settle case %(n)s": "为第 %(n)s 题定案",
    "Settle the case before promoting it.": "请先定案，再转为金标准案例。",
    "Settled": "已定案",
    "Severity": "严重程度",
    "Share sent to a second lead blind": "盲派给第二位主管复核的比例",
    "Show": "显示",
    "Show the case": "查看案例",
    "Shown": "展示次数",
    "Sign in": "登录",
    "Sign out": "退出登录",
    "Signal names are snake_case.": "信号名称须为 snake_case 格式。",
    "Signals": "信号",
    "Signals (JSON object)": "信号（JSON 对象）",
    "Signals read: %(signals)s.": "读取的信号：%(signals)s。",
    "Site": "站点",
    "Skip to content": "跳到正文",
    "Slug": "标识",
    "Someone else must resolve your own dispute.": "您自己的申诉须由他人处理。",
    "Something went wrong on our side. Nothing you entered was saved partially.": (
        "系统出现错误。您输入的内容不会被部分保存。"
    ),
    "Something went wrong.": "出错了。",
    "Split": "分歧度",
    "Started": "开始时间",
    "Starts with": "前缀",
    "State": "状态",
    "Status": "状态",
    "Status vs 98%%": "相对 98%% 的状态",
    "Submit answer": "提交答案",
    "Submit the exam": "提交考试",
    "Support": "样本数",
    "Suspend": "暂停",
    "Suspended": "已暂停",
    "Suspended: %(reason)s": "已暂停：%(reason)s",
    "TP and TN have no root cause.": "TP 和 TN 不应填写根因。",
    "Take the certification exam": "参加认证考试",
    "Team": "团队",
    "Team name": "团队名称",
    "Team saved.": "团队已保存。",
    "Teams": "团队",
    "Text": "文本",
    "Thanks. A QA lead will review the reference answer.": "感谢反馈，质检主管将复核该参考答案。",
    "Thanks: the SOP gap was flagged for a lead to review.": "感谢反馈：该 SOP 缺口已提交，等待主管审核。",
    "That case is not in this session.": "该案例不在此场次中。",
    "That clashes with a change made meanwhile. Reload and try again.": (
        "与期间他人所做的更改冲突。请刷新后重试。"
    ),
    "That content type is not supported.": "不支持该内容类型。",
    "That is not your current password.": "这不是您当前的密码。",
    "That method is not allowed here.": "此处不允许该请求方法。",
    "That upload is too large.": "上传的文件过大。",
    "That user is deactivated.": "该用户已停用。",
    "That username is taken.": "该用户名已被占用。",
    "The SOP is too long.": "SOP 过长。",
    "The answer is unchanged, so no new version was made.": "答案没有变化，未生成新版本。",
    "The answer must be a JSON object.": "答案必须是 JSON 对象。",
    "The case": "案例",
    "The deadline must be in the future.": "截止时间必须晚于当前时间。",
    "The dispute window (7 days after the audit) has passed.": "已超过申诉期（质检后 7 天）。",
    "The exam can't be started now.": "现在无法开始考试。",
    "The file has %(n)s problem(s); nothing was imported.": "文件中有 %(n)s 个问题，未导入任何内容。",
    "The file has a header but no decisions.": "文件只有表头，没有决策数据。",
    "The file has no cases.": "文件中没有案例。",
    "The file is empty.": "文件为空。",
    "The file is not UTF-8 text (after %(n)s rows).": "文件不是 UTF-8 文本（已读取 %(n)s 行）。",
    "The file is not UTF-8 text. Save it as CSV UTF-8 and try again.": (
        "文件不是 UTF-8 文本。请另存为 CSV UTF-8 格式后重试。"
    ),
    "The file is not valid CSV: %(error)s": "文件不是有效的 CSV：%(error)s",
    "The file is not valid UTF-8 JSON.": "文件不是有效的 UTF-8 JSON。",
    "The first %(shown)s are listed.": "仅列出前 %(shown)s 个。",
    "The form expired or was sent from elsewhere. Reload the page and try again.": (
        "表单已过期或来源无效。请刷新页面后重试。"
    ),
    "The form expired. Try again.": "表单已过期，请重试。",
    "The golden cases shown most often. Over-exposed cases leak between agents: retire them, or rotate "
    "them out of exams for %(n)s days.": (
        "展示次数最多的金标准案例。曝光过度的案例容易在审核员之间泄露：请将其停用，或移出考试 %(n)s 天。"
    ),
    "The list is empty.": "列表为空。",
    "The queue is empty.": "队列已清空。",
    "The recommendation and the decision make this label %(expected)s.": (
        "根据智能体建议与决策，此标注应为 %(expected)s。"
    ),
    "The request could not be understood.": "无法解析该请求。",
    "The request was understood but is not valid.": "请求格式正确，但内容无效。",
    "The reviewer's answer": "审核员的答案",
    "The same as a table": "以表格显示",
    "The share of live decisions whose scenario a section of the current SOP covers. Target: %(t)s.": (
        "场景被当前 SOP 某一章节覆盖的线上决策占比。目标：%(t)s。"
    ),
    "The signals column must hold a JSON object.": "signals 列必须是 JSON 对象。",
    "The start date must come before the end date.": "开始日期须早于结束日期。",
    "The two new passwords differ.": "两次输入的新密码不一致。",
    "There are no active golden cases for this exam yet.": "此考试暂无启用中的金标准案例。",
    "There are no active practice cases for this case type yet.": "此案例类型暂无启用中的练习案例。",
    "There is nothing here.": "这里什么也没有。",
    "These cases are not active %(type)s cases: %(ids)s": "以下案例不是启用中的 %(type)s 案例：%(ids)s",
    "This answer was already submitted and can't be changed.": "此答案已提交，无法修改。",
    "Another audit of this decision was saved just now. Submit again to save yours.": (
        "刚刚已有另一条针对此决策的质检被保存。请再次提交以保存您的质检。"
    ),
    "This audit changed since you opened it. Reload to see the latest, then edit.": (
        "您打开后此质检记录已被修改。请刷新查看最新内容后再编辑。"
    ),
    "This browser stays signed in; every other session of yours ends and your API tokens are revoked.": (
        "此浏览器保持登录；您在其他地方的会话将全部终止，您的 API 令牌将被吊销。"
    ),
    "This case is in your open exam: submit the exam first.": "此案例在您进行中的考试里：请先提交考试。",
    "This case was already promoted.": "此案例已转为金标准案例。",
    "This certification is not suspended.": "此认证未被暂停。",
    "This column appears twice.": "此列重复出现。",
    "This column is missing.": "缺少此列。",
    "This dispute was already resolved.": "该申诉已处理。",
    "This exam was already submitted.": "此考试已提交。",
    "This exam was submitted; answers can't be changed.": "此考试已提交，答案无法修改。",
    "This field is required.": "此项为必填项。",
    "This gap was already decided.": "该缺口已有处理结论。",
    "This line is not valid JSON.": "此行不是有效的 JSON。",
    "This session is already closed.": "此场次已结束。",
    "This session is closed; answers can't change.": "此场次已结束，答案无法修改。",
    "This session is open.": "此场次仍在进行中。",
    "This verdict was already disputed.": "此质检结论已被申诉过。",
    "Threshold": "阈值",
    "Threshold evidence": "阈值依据",
    "Threshold review": "阈值复盘",
    "Threshold review: %(type)s": "阈值复盘：%(type)s",
    "Title": "标题",
    "To": "至",
    "Token name": "令牌名称",
    "Token revoked.": "令牌已吊销。",
    "Too many attempts. Wait a few minutes and try again.": "尝试次数过多，请等待几分钟后重试。",
    "Touchstone": "Touchstone",
    "Touchstone trains, calibrates and audits risk-operations reviewers.": (
        "Touchstone 用于风险运营审核员的培训、校准与质检。"
    ),
    "Trend": "趋势",
    "Uncovered scenario": "未覆盖的场景",
    "Undefined: %(reason)s": "无法计算：%(reason)s",
    "Unique, like kyc_audit-101.": "须唯一，如 kyc_audit-101。",
    "Unknown %(type)s keys: %(keys)s": "未知的 %(type)s 编号：%(keys)s",
    "Unknown agent.": "未知的审核员。",
    "Unknown case type.": "未知的案例类型。",
    "Unknown column.": "未知列。",
    "Unknown decision.": "未知的决策。",
    "Unknown field.": "未知字段。",
    "Unknown role.": "未知角色。",
    "Unknown status.": "未知状态。",
    "Unknown username or wrong password.": "用户名不存在或密码错误。",
    "Uphold the reference answer": "维持参考答案",
    "Uphold the verdict": "维持结论",
    "Upload at most %(n)s rows; load larger files with flask qa import.": (
        "最多上传 %(n)s 行；更大的文件请用 flask qa import 导入。"
    ),
    "Use 1 to 64 characters.": "请使用 1 到 64 个字符。",
    "Use 3-64 lowercase letters, digits, '.' or '_'.": "请使用 3-64 个小写字母、数字、'.' 或 '_'。",
    "Use 3-64 lowercase letters, digits, '.', '_' or '-'.": "请使用 3-64 个小写字母、数字、'.'、'_' 或 '-'。",
    "Use an ISO 8601 time with a time zone, like 2026-10-01T08:00:00Z.": (
        "请使用带时区的 ISO 8601 时间，如 2026-10-01T08:00:00Z。"
    ),
    "Use an SOP section like KYC-3.2.": "请填写 SOP 章节，如 KYC-3.2。",
    "Use at least %(n)s characters.": "请至少使用 %(n)s 个字符。",
    "Use at most 64 characters, or leave it empty.": "最多 64 个字符，或留空。",
    "User %(name)s created.": "用户 %(name)s 已创建。",
    "Username": "用户名",
    "Users": "用户",
    "Vendor": "供应商",
    "Vendors": "供应商",
    "Verdict": "质检结论",
    "Verdict %(v)s by %(lead)s": "%(lead)s 的质检结论：%(v)s",
    "Version": "版本",
    "Version %(a)s → version %(b)s": "第 %(a)s 版 → 第 %(b)s 版",
    "Version %(v)s by %(who)s on %(when)s.": "第 %(v)s 版，由 %(who)s 于 %(when)s 编写。",
    "Version %(v)s · %(when)s": "第 %(v)s 版 · %(when)s",
    "Versions": "版本",
    "Week": "周",
    "Weekly minimum per agent": "每名审核员每周最少抽样数",
    "Weight for high-confidence overrides": "推翻高置信度建议的权重",
    "Weight for low confidence": "低置信度权重",
    "Welcome, %(name)s": "欢迎，%(name)s",
    "What changed": "修改内容",
    "What moving the auto-decision threshold would have changed": "调整自动决策阈值会带来的变化",
    "What the SOP misses": "SOP 缺少的内容",
    "What the participants said": "参与者的答案",
    "What this plan implies": "此方案意味着什么",
    "What trainees will see as the decision agent's reasoning, one step per line. When the live decision "
    "carried none, this is a draft from what the agent output: check it and rewrite it as needed.": (
        "学员将看到的决策智能体推理，每行一步。线上决策未附带推理时，此处是根据决策智能体输出拟定的草稿：请核对并按需改写。"
    ),
    "When": "时间",
    "Where the decision agent is wrong (FP and FN), grouped. Type A goes back to the model, type B to "
    "the decision rules, type C to the SOP.": (
        "按组列出决策智能体出错（FP 和 FN）的情况。A 类反馈给模型，B 类反馈给决策规则，C 类反馈给 SOP。"
    ),
    "Whole report (JSON)": "完整报告（JSON）",
    "Why": "修改原因",
    "Why is the reference answer wrong?": "参考答案错在哪里？",
    "Why is the verdict wrong?": "质检结论错在哪里？",
    "Why this change (kept with the new answer version)": "修改原因（随新版本答案一并保存）",
    "Write a rationale.": "请填写理由。",
    "Write the SOP: it is empty or too short.": "请填写 SOP：内容为空或过短。",
    "Write the draft addition.": "请填写补充草案。",
    "Wrong": "答错",
    "Wrong recommendations": "错误建议",
    "Wrong recommendations decided automatically": "被自动决策的错误建议",
    "You already contested this case; a lead will answer.": "您已对此案例提出申诉，主管会给出答复。",
    "You are signed out.": "您已退出登录。",
    "You can contest a case once you have seen its result.": "看到案例结果后才能提出申诉。",
    "You cannot change your own role.": "不能修改自己的角色。",
    "You cannot deactivate yourself.": "不能停用自己的账号。",
    "You contested this case: %(status)s.": "您已对此案例提出申诉：%(status)s。",
    "You do not have access to this page.": "您无权访问此页面。",
    "You may dispute a verdict within 7 days of the audit.": "您可以在质检后 7 天内对质检结论提出申诉。",
    "You said": "您的决策",
    "Your answer": "您的答案",
    "Your labels": "您的标注",
    "Your unsaved answer was restored from this browser.": "已从此浏览器恢复您未保存的答案。",
    "Your verdict": "您的质检结论",
    "above 98%": "高于 98%",
    "agent scores": "审核员得分",
    "all escalated": "全部已升级",
    "amended": "已修正",
    "api acts with the owner's role; ingest may also post live decisions.": (
        "api 以所有者的角色操作；ingest 还可提交线上决策。"
    ),
    "audits": "质检记录",
    "below 98%": "低于 98%",
    "by %(agent)s": "审核员 %(agent)s",
    "closed": "已结束",
    "correct": "正确",
    "current": "当前",
    "deadline %(d)s UTC": "截止 %(d)s UTC",
    "decided %(when)s UTC": "决策于 %(when)s UTC",
    "decided_at must not be before opened_at.": "decided_at 不能早于 opened_at。",
    "everyone gave the same value on every case, so agreement can't be told from chance": (
        "所有人对每个案例给出的值都相同，无法区分一致性与偶然"
    ),
    "exams %(passed)s/%(n)s": "考试 %(passed)s/%(n)s",
    "import": "导入",
    "in progress": "进行中",
    "inconclusive": "尚无定论",
    "incorrect": "错误",
    "key, scenario or rationale": "编号、场景或理由",
    "labelled decisions": "已标注的决策",
    "live": "线上",
    "no": "否",
    "no answers yet": "尚无答案",
    "no audits": "无质检",
    "no case was answered by two or more participants": "没有任何案例由两名及以上参与者作答",
    "not passed": "未通过",
    "not started": "未开始",
    "of 4:00 h": "/ 4:00 小时",
    "open": "待处理",
    "out of exams until %(d)s": "移出考试至 %(d)s",
    "pass mark %(mark)s": "及格线 %(mark)s",
    "passed": "已通过",
    "practice %(acc)s of %(n)s": "练习 %(n)s 题，正确率 %(acc)s",
    "recurring": "反复出现",
    "reference %(r)s, given %(g)s: %(n)s": "参考 %(r)s，作答 %(g)s：%(n)s",
    "reliable": "可靠",
    "resolved": "已解决",
    "right": "正确",
    "risk": "风险",
    "root cause %(rc)s": "根因 %(rc)s",
    "routed": "已分派",
    "sampled: %(reason)s": "抽样原因：%(reason)s",
    "settled": "已定案",
    "submitted": "已提交",
    "tentative": "暂定",
    "the two answered no case in common": "两人没有共同作答的案例",
    "tie": "平票",
    "unreliable": "不可靠",
    "until %(d)s": "至 %(d)s",
    "upheld": "已维持",
    "waiting": "待处理",
    "with confidence %(c)s": "（置信度 %(c)s）",
    "wrong": "错误",
    "yes": "是",
    # Golden case editor: a save refused because the case changed meanwhile.
    "%(who)s saved a change at %(when)s UTC, so nothing of yours was saved.": (
        "%(who)s 于 %(when)s UTC 保存了更改，因此您的内容没有保存。"
    ),
    "It was changed at %(when)s UTC, so nothing of yours was saved.": (
        "该案例已于 %(when)s UTC 被更改，因此您的内容没有保存。"
    ),
    "Nothing of yours was saved.": "您的内容没有保存。",
    "Saved now": "当前已保存",
    "This case changed after you opened it": "您打开此案例后，它已被更改",
    "This case was changed after you opened it, so nothing of yours was saved.": (
        "您打开此案例后，它已被更改，因此您的内容没有保存。"
    ),
    "What you are sending matches what is saved now, so there is nothing to save.": (
        "您提交的内容与当前已保存的内容一致，无需保存。"
    ),
    "Where what you are sending differs from what is saved now:": "您提交的内容与当前已保存内容的不同之处：",
    "You are sending": "您提交的内容",
    "Your version is still in the form below. Reconcile it with what is saved now, then save again.": (
        "您的版本仍保留在下方表单中。请与当前已保存的内容核对后再次保存。"
    ),
    "No case is waiting for your answer. Deal one when you are ready: "
    "its reference answer shows after you answer.": (
        "没有等待您回答的案例。准备好后发一个案例：参考答案会在您回答之后显示。"
    ),
    "Deal a case": "发一个案例",
    # Issue 13: one definition of each figure (calibration root cause, exam score interval).
    "Definitions, version %(version)s: for root cause, “no root cause” (a TP or TN answer) counts as a "
    "category, so FP/A against TP/none is a disagreement; only an unanswered case is missing.": (
        "定义版本 %(version)s：根因一项中，“无根因”（TP 或 TN 答案）算作一个类别，"
        "因此 FP/A 与 TP/无根因 视为不一致；只有未作答的案例才算缺失。"
    ),
    "Definitions, version 1: this report was stored before “no root cause” counted as a category, so its "
    "root-cause α leaves out answers without a root cause. It is recomputed under the current definition "
    "when one of its cases is next settled.": (
        "定义版本 1：本报告保存于“无根因”算作类别之前，因此其根因 α 未计入没有根因的答案。"
        "下次裁定其中任一案例时，报告将按当前定义重新计算。"
    ),
    "Pass rule": "通过规则",
    "decision accuracy at least %(mark)s, and no Key User case left unescalated": (
        "决策准确率不低于 %(mark)s，且没有未升级的关键用户案例"
    ),
    "score at the mark": "得分达到及格线",
    "score below the mark": "得分低于及格线",
    "%(num)s Key User missed": "%(num)s 个关键用户未升级",
    "no Key User missed": "关键用户均已升级",
    "In brackets: the %(level)s Wilson interval, the accuracy range this score is consistent with over "
    "%(n)s cases. The pass rule reads the score itself, not the interval.": (
        "方括号内为 %(level)s Wilson 区间：在 %(n)s 个案例上与该得分相符的准确率范围。"
        "通过规则看的是得分本身，而不是区间。"
    ),
    "In brackets: the %(level)s Wilson interval of each score, the accuracy range it is consistent with "
    "over that exam's cases. The pass rule reads the score itself, not the interval.": (
        "方括号内为每个得分的 %(level)s Wilson 区间：在该次考试的案例上与该得分相符的准确率范围。"
        "通过规则看的是得分本身，而不是区间。"
    ),
    # the input layer (app/inputs.py, app/strict_parsing.py)
    "%(name)s must be a whole number from %(min)s to %(max)s.": (
        "%(name)s 须为 %(min)s 到 %(max)s 之间的整数。"
    ),
    "The query argument %(name)s holds a NUL character.": "查询参数 %(name)s 含有 NUL 字符。",
    "The form field %(name)s holds a NUL character.": "表单字段 %(name)s 含有 NUL 字符。",
    "The %(name)s header holds a NUL character.": "请求头 %(name)s 含有 NUL 字符。",
    "The uploaded file's name holds a NUL character.": "上传文件的文件名含有 NUL 字符。",
    "The address holds a NUL character.": "网址中含有 NUL 字符。",
    "Send the body with a Content-Length header.": "请带上 Content-Length 请求头发送请求体。",
    "The JSON is nested more than %(n)s levels deep.": "JSON 的嵌套层级超过 %(n)s 层。",
    "Text in the JSON holds a NUL character or a lone surrogate (\\u0000, \\ud800).": (
        "JSON 中的文本含有 NUL 字符或孤立的代理项（\\u0000、\\ud800）。"
    ),
    "The JSON is not UTF-8 text.": "JSON 不是 UTF-8 文本。",
    "The JSON is not valid: %(error)s": "JSON 无效：%(error)s",
    "Line %(line)s: a quoted field is never closed.": "第 %(line)s 行：引号括起的字段没有闭合。",
    "Line %(line)s: %(error)s": "第 %(line)s 行：%(error)s",
    "Line %(line)s holds a NUL character.": "第 %(line)s 行含有 NUL 字符。",
    "Key User cases": "关键用户案例",
    "Each audit is weighted by the inverse of its chance of being drawn by the sampling plan, so "
    "risk-weighted sampling does not bias the figure.": (
        "每条审核按其被抽样计划抽中概率的倒数加权，因此按风险加权的抽样不会使该数字产生偏差。"
    ),
    "%(stratum)s (audited with certainty): %(c)s of %(n)s correct": (
        "%(stratum)s（必审）：%(n)s 条中 %(c)s 条正确"
    ),
    "%(n)s audits outside any sampling plan are not in the estimate": (
        "%(n)s 条不属于任何抽样计划的审核未计入估计"
    ),
    "Vendor accuracy weights each audit by the inverse of its chance of being drawn; its interval treats "
    "each agent as a cluster, so agents who differ widen it and no single busy agent dominates.": (
        "供应商准确率按每条审核被抽中概率的倒数加权；其区间把每位坐席视为一个聚类，"
        "因此坐席之间的差异会使区间变宽，任何一位审核量大的坐席都不会主导结果。"
    ),
    "%(acc)s correct over %(n)s audits (95%% interval %(low)s to %(high)s), against the 98%% standard.": (
        "%(n)s 次审核中正确率 %(acc)s（95%% 区间 %(low)s 至 %(high)s），对照 98%% 标准。"
    ),
    "%(num)s suspension proposal waits for a decision": "%(num)s 条暂停提议等待决定",
    "(overturned in a dispute)": "（已在申诉中推翻）",
    "Agent decided": "坐席的决定",
    "All proposals": "全部提议",
    "At audit %(at)s, with %(errors)s errors so far, the evidence that the agent is below the "
    "%(target)s standard reached %(value)s, past the threshold of %(threshold)s. Unweighted, the "
    "rule needs %(boundary)s errors by audit %(at)s. However often it is checked, it proposes a "
    "suspension for an agent who meets the standard at most %(alpha)s of the time.": (
        "在第 %(at)s 次审核时，累计 %(errors)s 个错误，表明该坐席低于 %(t"
        "arget)s 标准的证据达到 %(value)s，超过阈值 %(threshold)s"
        "。不加权时，该规则在第 %(at)s 次审核前需要 %(boundary)s 个错误。无"
        "论检查多频繁，对达标坐席提议暂停的概率至多为 %(alpha)s。"
    ),
    "Automatic suspension": "自动暂停",
    "Boundary crossed": "越过的边界",
    "Confirm": "确认",
    "Confirm the suspension": "确认暂停",
    "Decided and closed": "已决定和已关闭",
    "Decided by %(name)s on %(when)s.": "由 %(name)s 于 %(when)s 决定。",
    "Dismiss": "驳回",
    "Dismiss the proposal": "驳回该提议",
    "Each audit is weighted by the inverse of its chance of being sampled.": (
        "每次审核按其被抽中概率的倒数加权。"
    ),
    "Evidence": "证据",
    "No audits.": "没有审核。",
    "No proposals are waiting.": "没有等待中的提议。",
    "None yet.": "暂无。",
    "Note (optional)": "备注（可选）",
    "Note:": "备注：",
    "Off (the default): the monitoring rule only proposes a suspension, and a lead or manager "
    "confirms or dismisses it. On: the rule suspends by itself, and leads see the suspension in the "
    "proposals list. Either way a suspension is lifted when the audits behind it are overturned.": (
        "关闭（默认）：监控规则只提议暂停，由组长或经理确认或驳回。开启：规则自行暂停，组长可在提"
        "议列表中看到该暂停。无论哪种情况，暂停所依据的审核被推翻时，暂停都会解除。"
    ),
    "Proposal dismissed.": "提议已驳回。",
    "Proposed": "提议时间",
    "Proposed %(when)s UTC.": "提议于 %(when)s UTC。",
    "Review the evidence": "查看证据",
    "Say why the proposal is dismissed.": "请说明驳回该提议的原因。",
    "Settings": "设置",
    "Settings saved.": "设置已保存。",
    "Suspension confirmed; the agent sees it on their learning page.": "暂停已确认；坐席会在其学习页面看到。",
    "Suspension proposal": "暂停提议",
    "Suspension proposal: %(agent)s, %(case_type)s": "暂停提议：%(agent)s，%(case_type)s",
    "Suspension proposals": "暂停提议",
    "The agent is no longer certified for this case type.": "该坐席已不再持有此案件类型的认证。",
    "The audits are read as a simple random sample (unweighted).": "审核按简单随机样本处理（不加权）。",
    "The audits, in order": "按顺序排列的审核",
    "The boundary": "边界",
    "The estimate": "估计值",
    "The monitoring rule proposes; a lead or manager confirms or dismisses, with the evidence in "
    "front of them.": ("监控规则提出提议；组长或经理根据面前的证据确认或驳回。"),
    "The rule has not crossed its boundary: after %(n)s audits the evidence that the agent is below "
    "the %(target)s standard is %(value)s, and it proposes a suspension at %(threshold)s.": (
        "规则尚未越过边界：%(n)s 次审核后，表明该坐席低于 %(target)s 标准的证据"
        "为 %(value)s，达到 %(threshold)s 时才提议暂停。"
    ),
    "This proposal was already decided.": "该提议已被决定。",
    "Waiting for a decision": "等待决定",
    "Why dismiss it": "驳回原因",
    "With the audits as they now stand, the rule no longer proposes a suspension.": (
        "按目前的审核结果，规则已不再提议暂停。"
    ),
    "Your certification for %(case_type)s was suspended automatically on %(date)s: the monitoring "
    "rule found your audited accuracy below the 98%% standard. Practise the remediation set; you may "
    "dispute an audit verdict under My audits.": (
        "你在 %(case_type)s 的认证已于 %(date)s 被自动暂停：监控规则发现"
        "你的审核准确率低于 98%% 标准。请练习补救题集；你可以在“我的审核”中对审核结论提出"
        "申诉。"
    ),
    "Your certification for %(case_type)s was suspended on %(date)s: the monitoring rule found your "
    "audited accuracy below the 98%% standard, and a lead confirmed it. Practise the remediation "
    "set; you may dispute an audit verdict under My audits.": (
        "你在 %(case_type)s 的认证已于 %(date)s 被暂停：监控规则发现你的"
        "审核准确率低于 98%% 标准，并经组长确认。请练习补救题集；你可以在“我的审核”中对审"
        "核结论提出申诉。"
    ),
    "Your suspension on %(case_type)s was lifted on %(date)s by a lead.": (
        "你在 %(case_type)s 的暂停已于 %(date)s 由组长解除。"
    ),
    "Your suspension on %(case_type)s was lifted on %(date)s: the audit behind it was overturned.": (
        "你在 %(case_type)s 的暂停已于 %(date)s 解除：其所依据的审核已被推翻。"
    ),
    "Your suspension on %(case_type)s was lifted on %(date)s: the evidence behind it no longer holds.": (
        "你在 %(case_type)s 的暂停已于 %(date)s 解除：其所依据的证据已不再成立。"
    ),
    "at audit %(n)s (evidence %(value)s of %(threshold)s)": (
        "第 %(n)s 次审核（证据 %(value)s / %(threshold)s）"
    ),
    "automatic": "自动",
    "dismissed": "已驳回",
    "lifted": "已解除",
    "suspended": "已暂停",
    "the monitoring rule found %(errors)s errors in your first %(n)s audited decisions, past the "
    "boundary for the 98%% standard (automatic suspension).": (
        "监控规则在你前 %(n)s 个被审核的决定中发现 %(errors)s 个错误，越过了 98%% 标准的边界（自动暂停）。"
    ),
    "the monitoring rule found %(errors)s errors in your first %(n)s audited decisions, past the "
    "boundary for the 98%% standard; confirmed by %(name)s.": (
        "监控规则在你前 %(n)s 个被审核的决定中发现 %(errors)s 个错误，越过了 "
        "98%% 标准的边界；由 %(name)s 确认。"
    ),
    "waiting for a decision": "等待决定",
    "withdrawn: the evidence no longer holds": "已撤回：证据已不再成立",
    "← the rule crossed its boundary here": "← 规则在此越过边界",
}


def placeholders(text: str) -> list[str]:
    """The %-placeholders in a message, sorted, so reordering in a translation is allowed."""
    return sorted(PLACEHOLDER.findall(text))


def main() -> int:
    with PO_PATH.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    changed = False
    missing: list[str] = []
    bad: list[str] = []
    used: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        text = ZH.get(key)
        if text is None:
            if message.fuzzy or not (message.string[0] if message.pluralizable else message.string):
                missing.append(key)
            continue
        used.add(key)
        originals = [message.id] if isinstance(message.id, str) else list(message.id)
        if any(placeholders(text) != placeholders(original) for original in originals):
            bad.append(key)
            continue
        new = tuple([text] * catalog.num_plurals) if message.pluralizable else text
        if message.string != new or message.fuzzy:
            message.string = new
            message.flags.discard("fuzzy")
            changed = True
    if changed:
        catalog.fuzzy = False
        with PO_PATH.open("wb") as handle:
            write_po(handle, catalog, width=76)
    translated = sum(1 for message in catalog if message.id) - len(missing) - len(bad)
    state = "written" if changed else "unchanged"
    print(f"zh_Hans: {translated} translated, {len(missing)} missing, {len(bad)} bad placeholders ({state})")
    unused = sorted(set(ZH) - used)
    if unused:
        print(f"{len(unused)} entries in ZH are no longer in the catalog (safe to keep or delete):")
        for key in unused:
            print(f"  {key!r}")
    for label, keys in (("Untranslated or fuzzy, add to ZH", missing), ("Placeholder mismatch", bad)):
        if keys:
            print(f"{label}:")
            for key in keys:
                print(f"  {key!r}")
    return 1 if missing or bad else 0


if __name__ == "__main__":
    sys.exit(main())
