"""Words of the window explorer (ui/explorer.py): buttons, status lines, tooltip templates.

Templates keep ``{placeholders}`` that the browser fills: ``{row}``, ``{col}``, ``{n}``,
``{role}``, ``{value}``, ``{reads}``, ``{copies}``, and in status lines ``{m}`` and ``{q}``.
Rows and columns count from the input's corner, not the padded grid's.
"""

TEXT: dict[str, dict[str, str]] = {
    "ex.play": {"en": "Play", "zh": "播放"},
    "ex.pause": {"en": "Pause", "zh": "暂停"},
    "ex.step": {"en": "Step", "zh": "单步"},
    "ex.speed": {"en": "Speed", "zh": "速度"},
    "ex.speed_value": {"en": "{n} steps/s", "zh": "每秒 {n} 步"},
    "ex.hint": {
        "en": "Hover or focus a cell to see its window; click (or Enter) picks it; arrow keys "
              "move; Play slides the window over every output.",
        "zh": "悬停或聚焦单元格即可看到它的窗口；点击（或按回车）选中；方向键移动；"
              "“播放”让窗口依次滑过每个输出。"},
    # status lines: {n} the links, {m} those inside the other grid's box (the input inside
    # its padding), {q} a kernel tap's links that land on the input; "_one" where the
    # first count is 1, "_outside" for a padding cell; rows and columns count from the
    # input's corner (padding above or left of it is negative)
    "ex.status_output": {"en": "Output ({row}, {col}): {n} taps, {m} on the input.",
                         "zh": "输出 ({row}, {col})：{n} 个卷积核位置，其中 {m} 个落在输入上。"},
    "ex.status_output_one": {"en": "Output ({row}, {col}): {n} tap, {m} on the input.",
                             "zh": "输出 ({row}, {col})：{n} 个卷积核位置，其中 {m} 个落在输入上。"},
    "ex.status_input": {"en": "Input cell ({row}, {col}) is read by {n} output cells.",
                        "zh": "输入单元格 ({row}, {col}) 被 {n} 个输出单元格读取。"},
    "ex.status_input_one": {"en": "Input cell ({row}, {col}) is read by {n} output cell.",
                            "zh": "输入单元格 ({row}, {col}) 被 {n} 个输出单元格读取。"},
    "ex.status_input_outside": {
        "en": "Padding at ({row}, {col}), outside the input, is read by {n} output cells.",
        "zh": "输入之外的填充位置 ({row}, {col}) 被 {n} 个输出单元格读取。"},
    "ex.status_input_outside_one": {
        "en": "Padding at ({row}, {col}), outside the input, is read by {n} output cell.",
        "zh": "输入之外的填充位置 ({row}, {col}) 被 {n} 个输出单元格读取。"},
    "ex.status_kernel": {"en": "Kernel tap ({row}, {col}) is used by {n} output cells; in {q} "
                               "of them it lands on the input.",
                         "zh": "卷积核位置 ({row}, {col}) 被 {n} 个输出单元格使用；其中 {q} 次"
                               "落在输入上。"},
    "ex.status_kernel_one": {"en": "Kernel tap ({row}, {col}) is used by {n} output cell; in {q} "
                                   "of them it lands on the input.",
                             "zh": "卷积核位置 ({row}, {col}) 被 {n} 个输出单元格使用；其中 {q} 次"
                                   "落在输入上。"},
    "ex.tip_output": {"en": "row {row}, column {col}\nvalue: {value}",
                      "zh": "第 {row} 行，第 {col} 列\n数值：{value}"},
    "ex.tip_kernel": {"en": "tap ({row}, {col})\nweight: {value}",
                      "zh": "卷积核位置 ({row}, {col})\n权重：{value}"},
    "ex.tip_tap": {"en": "tap ({row}, {col})", "zh": "卷积核位置 ({row}, {col})"},
    "ex.tip_input": {
        "en": "row {row}, column {col}\nvalue: {value}\nrole: {role}\nwindows reading it: {reads}"
              "{copies}",
        "zh": "第 {row} 行，第 {col} 列\n数值：{value}\n角色：{role}\n读取它的窗口数：{reads}"
              "{copies}"},
    "ex.kernel_taps": {"en": "kernel taps (row, column)", "zh": "卷积核位置（行，列）"},
    "ex.tip_cell": {"en": "row {row}, column {col}", "zh": "第 {row} 行，第 {col} 列"},
    "ex.copies": {"en": "\ncopies input cell ({row}, {col})",
                  "zh": "\n复制自输入单元格 ({row}, {col})"},
}
