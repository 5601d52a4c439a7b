"""Accounts: argon2 hashes, sign-in back-off, roles enforced in the services, the actor in the log."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from fupin_desktop.db.models import ChangeLog, UserAccount
from fupin_desktop.db.session import open_database
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.errors import NotFoundError, PermissionDeniedError, SignInError, ValidationError
from fupin_desktop.services import accounts, households
from fupin_desktop.services.history import household_history
from fupin_desktop.services.village import add_group

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
HEAD = idcard.make("410182", date(1968, 3, 4), 7, "男")


@pytest.fixture
def team(db):
    """A first secretary (signed in) who has added a team member and a read-only account."""
    with db.transaction() as s:
        code = accounts.create_first_account(s, username="liming", full_name="李明", password="shuji2026")
    accounts.sign_in(db, "liming", "shuji2026")
    with db.transaction() as s:
        accounts.create_user(s, username="wangfang", full_name="王芳", role="工作队员", password="first123")
        accounts.create_user(s, username="guest", full_name="赵乡干", role="只读", password="xiang2026")
    accounts.sign_out(db)
    return code


def save_household(db, number="001"):
    with db.transaction() as s:
        form = HouseholdForm(number=number, status="未脱贫", group="一组", main_cause="01")
        return households.save_household(s, None, form,
                                         [MemberForm("张三明", HEAD, "户主")])


def test_passwords_are_argon2_hashed_never_stored(db, team):
    with db.reading() as s:
        stored = s.scalars(select(UserAccount.password_hash)).all()
    assert len(stored) == 3 and all(h.startswith("$argon2id$") for h in stored)
    assert accounts.PasswordHasher().hash("x").startswith("$argon2id$v=19$m=65536,t=3,p=4$")  # the real cost
    raw = db.file.read_bytes() + db.file.with_name("fupin.db-wal").read_bytes()
    assert b"shuji2026" not in raw and b"first123" not in raw


def test_changes_carry_the_signed_in_user_and_history_shows_the_name(db, team):
    accounts.sign_in(db, "wangfang", "first123")
    hid = save_household(db)
    with db.reading() as s:
        actors = set(s.scalars(select(ChangeLog.actor).where(ChangeLog.row_id == hid)))
        rows = household_history(s, hid)
    assert actors == {"wangfang"}
    assert {r.actor for r in rows} == {"王芳"}


def test_read_only_account_cannot_write_through_any_service(db, team):
    accounts.sign_in(db, "guest", "xiang2026")
    with pytest.raises(PermissionDeniedError, match="只能查看"):
        save_household(db)
    with pytest.raises(PermissionDeniedError), db.transaction() as s:
        add_group(s, "三组")
    with pytest.raises(PermissionDeniedError), db.transaction() as s:
        accounts.create_user(s, username="x1", full_name="某某", role="只读", password="abc12345")
    with db.reading() as s:  # reading is fine, and nothing was written
        assert s.scalar(select(ChangeLog.seq).where(ChangeLog.actor == "guest")) is None


def test_team_member_cannot_manage_accounts(db, team):
    accounts.sign_in(db, "wangfang", "first123")
    with pytest.raises(PermissionDeniedError, match="不能管理账户"), db.transaction() as s:
        accounts.reset_password(s, username="liming", new_password="hacked99")


def test_wrong_passwords_wait_longer_and_longer_even_after_restart(db, team):
    for _ in range(2):
        with pytest.raises(SignInError, match="不正确。$"):
            accounts.sign_in(db, "wangfang", "nope", now=T0)
    with pytest.raises(SignInError, match="30秒后再试"):
        accounts.sign_in(db, "wangfang", "nope", now=T0)
    # even the right password waits, also in a freshly opened database
    again = open_database(db.file)
    try:
        with pytest.raises(SignInError, match="错误次数过多"):
            accounts.sign_in(again, "wangfang", "first123", now=T0 + timedelta(seconds=10))
        with pytest.raises(SignInError, match="1分钟后再试"):
            accounts.sign_in(again, "wangfang", "bad", now=T0 + timedelta(seconds=31))
        user = accounts.sign_in(again, "wangfang", "first123", now=T0 + timedelta(seconds=95))
        assert user.full_name == "王芳" and user.role == "工作队员"
    finally:
        again.close()


def test_unknown_and_disabled_accounts_get_the_same_message(db, team):
    with pytest.raises(SignInError, match="^登录名或密码不正确。$"):
        accounts.sign_in(db, "nobody", "x")
    with db.transaction() as s:
        accounts.set_active(s, username="wangfang", active=False)
    with pytest.raises(SignInError, match="^登录名或密码不正确。$"):
        accounts.sign_in(db, "wangfang", "first123")


def test_first_secretary_resets_a_member_who_must_then_change_it(db, team):
    accounts.sign_in(db, "liming", "shuji2026")
    with db.transaction() as s:
        accounts.reset_password(s, username="wangfang", new_password="reset456")
        with pytest.raises(PermissionDeniedError, match="自己的密码"):
            accounts.reset_password(s, username="liming", new_password="other789")
    accounts.sign_in(db, "wangfang", "reset456")
    with db.reading() as s:
        assert accounts.must_change_password(s, "wangfang")
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="原密码不正确"):
            accounts.change_password(s, username="wangfang", old_password="x", new_password="mine2026")
        accounts.change_password(s, username="wangfang", old_password="reset456", new_password="mine2026")
    assert accounts.sign_in(db, "wangfang", "mine2026").username == "wangfang"


def test_recovery_code_resets_the_first_secretary_once(db, team):
    with pytest.raises(SignInError, match="恢复码不正确"):
        accounts.recover_with_code(db, username="liming", code="AAAA-BBBB-CCCC-DDDD", new_password="new2026x")
    fresh = accounts.recover_with_code(db, username="liming", code=team.lower().replace("-", " "),
                                       new_password="new2026x")
    assert fresh != team and len(fresh) == 19
    assert accounts.sign_in(db, "liming", "new2026x").role == "第一书记"
    with pytest.raises(SignInError):  # used up
        accounts.recover_with_code(db, username="liming", code=team, new_password="again2026")


def test_the_last_manager_cannot_be_disabled_or_demoted(db, team):
    with db.transaction() as s, pytest.raises(PermissionDeniedError, match="唯一"):
        accounts.set_role(s, username="liming", role="工作队员")
    with db.transaction() as s, pytest.raises(PermissionDeniedError, match="唯一"):
        accounts.set_active(s, username="liming", active=False)


def test_bad_new_accounts_are_refused_with_every_reason(db, team):
    with db.transaction() as s, pytest.raises(ValidationError) as e:
        accounts.create_user(s, username="a", full_name=" ", role="村长", password="111111")
    assert {f.field for f in e.value.errors} == {"username", "full_name", "role", "password"}
    with db.transaction() as s, pytest.raises(ValidationError, match="已被使用"):
        accounts.create_user(s, username="wangfang", full_name="王芳", role="工作队员", password="abc12345")
    with db.transaction() as s, pytest.raises(PermissionDeniedError, match="已有账户"):
        accounts.create_first_account(s, username="boss", full_name="某", password="abc12345")
    with db.transaction() as s, pytest.raises(NotFoundError):
        accounts.reset_password(s, username="ghost", new_password="abc12345")


def test_without_accounts_the_machine_user_writes_as_before(db):
    hid = save_household(db)
    with db.reading() as s:
        assert not accounts.has_accounts(s)
        assert s.scalar(select(ChangeLog.actor).where(ChangeLog.row_id == hid)) == db.actor


# -- hardening (issue 19) -------------------------------------------------------------------------------

def test_an_unknown_name_costs_a_password_check_like_a_known_one(db, team, monkeypatch):
    """The time of the answer must not tell whether a login name exists: both paths hash once."""
    checked: list[str] = []
    real = accounts._verify
    monkeypatch.setattr(accounts, "_verify",
                        lambda hashed, password: checked.append(password) or real(hashed, password))
    for name in ("nobody", "liming"):
        with pytest.raises(SignInError, match="^登录名或密码不正确。$"):
            accounts.sign_in(db, name, "wrong-pass")
    assert checked == ["wrong-pass", "wrong-pass"]


@pytest.mark.parametrize("weak", ["123456", "12345678", "password", "Password1", "woaini1314", "19800101",
                                  "qwertyui", "abcdefgh", "liming2026", "aaaaaaaa"])
def test_common_and_weak_passwords_are_refused(db, team, weak):
    accounts.sign_in(db, "liming", "shuji2026")
    with db.transaction() as s, pytest.raises(ValidationError) as e:
        accounts.reset_password(s, username="wangfang", new_password=weak) if weak != "liming2026" else \
            accounts.create_user(s, username="liming2", full_name="某", role="只读", password="liming2026x")
    assert {f.field for f in e.value.errors} == {"password"}


def test_account_changes_are_logged_with_who_made_them(db, team):
    accounts.sign_in(db, "liming", "shuji2026")
    with db.transaction() as s:
        accounts.set_role(s, username="guest", role="工作队员")
        accounts.reset_password(s, username="wangfang", new_password="reset2026x")
        accounts.set_active(s, username="guest", active=False)
    with db.reading() as s:
        events = [(e.actor, e.action, e.username, e.detail) for e in accounts.account_events(s)]
    assert events[:3] == [("liming", "停用账户", "guest", ""), ("liming", "重设密码", "wangfang", ""),
                          ("liming", "修改角色", "guest", "只读 → 工作队员")]
    assert ("liming", "新建账户", "liming", "第一书记") in events and ("liming", "新建账户", "guest", "只读") in events
    with db.reading() as s:
        assert accounts.must_change_password(s, "wangfang")  # a reset is always a temporary password


def test_a_read_only_account_neither_backs_up_nor_chooses_the_second_folder(db, team, tmp_path):
    from fupin_desktop.services import backup

    accounts.sign_in(db, "guest", "xiang2026")
    with pytest.raises(PermissionDeniedError, match="不能备份数据"):
        backup.backup_now(db)
    with pytest.raises(PermissionDeniedError, match="不能设置第二备份文件夹"):
        backup.set_mirror_folder(db, tmp_path)
    assert backup.daily_backup(db) is not None  # the program's own backup still happens
    accounts.sign_in(db, "wangfang", "first123")
    assert backup.backup_now(db).exists()


def test_a_locked_out_user_is_told_whom_to_ask(db, team):
    """A team member is sent to the 第一书记; the 第一书记 to the recovery code, not to himself."""
    for _ in range(3):
        with pytest.raises(SignInError) as member:
            accounts.sign_in(db, "wangfang", "nope", now=T0)
        with pytest.raises(SignInError) as secretary:
            accounts.sign_in(db, "liming", "nope", now=T0)
    assert "请找第一书记" in str(member.value)
    assert "恢复码" in str(secretary.value) and "找第一书记" not in str(secretary.value)
