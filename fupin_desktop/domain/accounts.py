"""Accounts and roles: who may do what, password rules, the wrong-password back-off. Stdlib only."""

from dataclasses import dataclass
from datetime import timedelta

FIRST_SECRETARY, TEAM_MEMBER, READ_ONLY, COUNTY_ADMIN = "第一书记", "工作队员", "只读", "县级管理员"
ROLES = (FIRST_SECRETARY, TEAM_MEMBER, READ_ONLY, COUNTY_ADMIN)
# Roles that manage accounts (create, reset, disable). A county office has no first secretary.
MANAGERS = frozenset({FIRST_SECRETARY, COUNTY_ADMIN})
WRITERS = frozenset({FIRST_SECRETARY, TEAM_MEMBER, COUNTY_ADMIN})
# Roles shown ID numbers in full on screen; the others see them masked, as on public printouts.
FULL_ID_NUMBERS = WRITERS

MIN_PASSWORD = 8
FREE_ATTEMPTS = 3  # wrong passwords before the wait starts
FIRST_WAIT = timedelta(seconds=30)  # then doubles with every further wrong password …
LONGEST_WAIT = timedelta(minutes=15)  # … up to this
IDLE_LOCK_MINUTES = 10  # default; changeable in 设置


@dataclass(frozen=True)
class CurrentUser:
    """The person signed in; the change log records `username` as the actor."""

    username: str
    full_name: str
    role: str

    @property
    def can_write(self) -> bool:
        return self.role in WRITERS

    @property
    def sees_full_id_numbers(self) -> bool:
        return self.role in FULL_ID_NUMBERS

    @property
    def can_manage_users(self) -> bool:
        return self.role in MANAGERS

    @property
    def label(self) -> str:
        return f"{self.full_name}（{self.role}）"


def may_write(user: CurrentUser | None) -> bool:
    """Whoever is signed in may change data; with nobody signed in (no accounts set up, the CLI) anyone may."""
    return user is None or user.can_write


def sees_full_id_numbers(user: CurrentUser | None) -> bool:
    """ID numbers are shown in full (else masked like on public printouts, 410182********0011)."""
    return user is None or user.sees_full_id_numbers


def wait_after(failed_attempts: int) -> timedelta:
    """How long sign-in stays closed after this many wrong passwords in a row."""
    if failed_attempts < FREE_ATTEMPTS:
        return timedelta(0)
    return min(FIRST_WAIT * 2 ** (failed_attempts - FREE_ATTEMPTS), LONGEST_WAIT)


# The passwords tried first by anyone guessing (lists of leaked passwords, in China too); also
# rejected: any run along the number row or the keyboard, and digits only below 10 (a birthday).
COMMON_PASSWORDS = frozenset({
    "password", "password1", "passw0rd", "iloveyou", "woaini1314", "woaini520", "5201314520", "1314520520",
    "admin123", "admin888", "qwertyuiop", "1qaz2wsx", "1q2w3e4r", "1q2w3e4r5t", "qwer1234", "asdf1234",
    "zxcv1234", "abcd1234", "abc123456", "a1234567", "a12345678", "aa123456", "aa112233", "qq123456",
    "wang1234", "zhang123", "li123456", "1234qwer", "123qweasd", "qweasdzxc", "123456abc", "123456aa",
    "fupin123", "fupin2020", "shuji123", "admin1234", "root1234", "test1234", "welcome1",
})
_RUNS = ("01234567890", "09876543210", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD:
        return f"密码至少{MIN_PASSWORD}位"
    if password.strip() != password:
        return "密码首尾不能有空格"
    lower = password.lower()
    if (len(set(password)) < 3 or lower in COMMON_PASSWORDS or any(lower in run for run in _RUNS)
            or (username and username.lower() in lower)):
        return "密码太常见或太简单（如 12345678、password、登录名），请换一个"
    if password.isdigit() and len(password) < 10:
        return "只有数字的密码至少10位（生日、电话号码很容易被猜到），或加上字母"
    return None


def username_problem(username: str) -> str | None:
    if not username:
        return "请填写登录名"
    if not (2 <= len(username) <= 32) or any(c.isspace() for c in username):
        return "登录名为2–32个字符，不含空格"
    return None
