"""Why a bundle or key file is refused, in words a clerk understands."""

from fupin_desktop.errors import FupinError


class BundleError(FupinError):
    """A bundle that cannot be used. Nothing has been written when this is raised."""

    def __init__(self, file: str, problem: str, advice: str):
        self.file, self.problem, self.advice = file, problem, advice
        super().__init__(f"数据包 {file}：{problem}。{advice}数据库未做任何改动。")


class KeyFileError(FupinError):
    pass


ASK_AGAIN = "请让发送方重新导出一次数据包。"
CHECK_STICK = "请检查U盘是否损坏、文件是否复制完整，必要时请发送方重新导出。"
UPDATE_PROGRAM = "请把本程序升级到最新版本后再导入。"
