"""Every `fupin` command: its name, the module that adds its arguments and runs it, and what it does
(shown by `fupin --help` and as the command's own description), in the order of `fupin --help`.

Kept apart from the modules so that `fupin --help` lists the commands without importing any of
them, and `fupin 命令 …` imports only its own module (issue 20: the CLI starts at once).
"""

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("init", "register", "新建本村数据库（已存在时拒绝覆盖）"),
    ("demo", "register", "生成演示村数据库（默认：荥阳市汜水镇新沟村，437户1688人）"),
    ("check", "register", "检查数据库完整性与数据质量（有错误时返回非零）"),
    ("households", "register", "查询农户（姓名、拼音首字母、身份证号片段、户编号）"),
    ("groups", "register", "村民组：列出（含户数），或添加（groups add 一组 二组）"),
    ("gui", "register", "打开图形界面"),
    ("import-xlsx", "roster", "从花名册（.xlsx、.xls 或 .csv，一人一行）导入农户：先检查并列出每一行的问题，"
                              "再导入没有问题的户（全部成功或全部不导入；已有户编号的户不导入）；"
                              "没有可导入的户时返回非零"),
    ("export-xlsx", "roster", "把农户导出为 Excel 花名册（一人一行，可再导入），或写空白模板"),
    ("cadres", "cadres", "工作队与帮扶人：列出在任人员；photo 设置或移除某人的照片（打印在明白栏上）"),
    ("plans", "plans", "N+2帮扶计划：列出某年度各户计划；--check 按N+2规则检查（有错误或缺计划时返回非零）；clone "
                       "--from 年 --to 年 把上年计划复制为新年度草稿"),
    ("monitor", "plans", "防返贫监测：按阈值筛查疑似风险户，列出监测记录和各村民组收入最低5户"),
    ("poverty-line", "plans", "设置某年度某地区的扶贫标准（人均纯收入，元/人·年），并显示本村适用哪一条：本村按县 → "
                              "地市 → 省 → 全国 的顺序使用最具体的一条；2021年起的监测线由省里每年确定"),
    ("exits", "registers", "退出程序：列出拟退出户的步骤和双认定；confirm "
                           "登记政府认定和农户签字或按手印（脱贫销号前必须两者齐全）"),
    ("village-exit", "registers", "贫困村退出检查：贫困发生率和各项核查（路、客车、饮水、电、广播电视、文化中心、"
                                  "卫生室、村医、宽带、产业、集体经济）；--set 登记一项"),
    ("relocation", "registers", "易地扶贫搬迁台账：列出各搬迁户；set 登记或修改一户（人均住房面积不超过25平方米，"
                                "入住后3—6个月内拆旧复垦、交回宅基证）"),
    ("loans", "registers", "扶贫小额信贷台账：列出未还清的贷款；--due 只列90天内到期的；add 登记一笔（5万元以下、"
                           "3年期以内）；repay 登记还款；follow-up 登记按季贷后跟踪"),
    ("visits", "visits", "走访记录：最近的走访、某户的走访历史，或按走访规则待走访的农户"),
    ("ledger", "visits", "问题整改台账：逐项列出问题、责任人、期限和状态，并给出当日调度汇总"),
    ("presence", "visits", "驻村考勤：某月每人每天在村情况、驻村天数和请假备案"),
    ("benefits", "notices", "享受政策：各户、各成员享受的政策和金额"),
    ("notices", "notices", "公示：类别、标题、张贴期、版本和异议"),
    ("projects", "notices", "项目资金台账：资金来源、预算与支出、审批、验收、受益户、资产和村集体收入"),
    ("board", "notices", "明白栏：status 列出内容已变或尚未张贴、需要重新打印张贴的户；"
                         "attributes 设置打印时是否印出户属性"),
    ("print", "printing", "打印：生成 PDF（明白卡、帮扶计划确认表、退出确认表、贫困村退出核查表、一户一档、明白栏、"
                          "统计表、五最低名册、走访记录、问题台账）"),
    ("county", "sync", "县级汇总库：新建（county init）"),
    ("keys", "sync", "本机密钥与指纹；安装县级密钥"),
    ("export-bundle", "sync", "把本村的变更导出为加密签名的同步数据包（写到U盘）"),
    ("import-bundle", "sync", "导入同步数据包（县里导入村的数据包；村里导入县的回执）"),
    ("export-return", "sync", "县里给某村导出回执数据包（确认收到的范围、冲突处理结果、县级更正）"),
    ("conflicts", "sync", "列出同步冲突（各方的值、来源和时间）"),
    ("resolve", "sync", "处理一个同步冲突"),
    ("three-way", "sync", "户表机核对（县里）：县里数据与村里最后填报不一致之处"),
    ("sync-status", "sync", "同步状态：县里看各村；村里看已发送与已确认"),
    ("users", "users", "账户管理：list 列出、add 新建、reset 重设密码、passwd 改自己的密码、recover 用恢复码重设、"
                       "role 改角色、disable/enable 停用/启用、log 账户变动、encrypt 加密旧数据库"),
    ("unlock", "users", "登录一次，在一段时间内（默认15分钟）运行 fupin 命令不再询问密码"),
    ("lock", "users", "立即结束 fupin unlock 的解锁"),
    ("backup", "backup", "立即备份数据库（自动轮换：保留最近7天每天一份、最近4周每周一份）"),
    ("restore", "backup", "从备份文件恢复数据库（先检查备份，当前数据另存一份）"),
)
