"""扶贫工作队桌面助手 (Fupin Desktop): offline work-team assistant."""

__version__ = "0.1.0"
