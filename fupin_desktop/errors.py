"""The errors a user can meet. Anything else escaping to the top is a bug.

Every message is Chinese and says what happened and what to do.
"""

from dataclasses import dataclass


class FupinError(Exception):
    """A known problem with a message for the user."""


@dataclass(frozen=True)
class FieldError:
    """One invalid field: which record and field, and what is wrong."""

    field: str
    message: str
    record: str = ""  # e.g. "成员2（张三）"; empty for the form itself

    def __str__(self) -> str:
        return f"{self.record}：{self.message}" if self.record else self.message


class Cancelled(FupinError):
    """The person waiting cancelled long work (domain.progress.Progress); nothing was left half-done."""


class ValidationError(FupinError):
    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("；".join(str(e) for e in errors))


class InputError(FupinError):
    """A value typed wrong (an amount, a month, a phone number): the message says how to write it.
    Parsers raise this, never ValueError, so a form shows it and a real bug's ValueError still
    reaches the crash dialog."""


class NotFoundError(FupinError):
    pass


class DatabaseFileError(FupinError):
    """Missing, not a database, corrupt, or already there when it should not be."""


class SchemaTooNewError(FupinError):
    """The database was written by a newer version of the program."""


class StorageError(FupinError):
    """Disk full, read-only medium, permission denied, stick removed."""


class DatabaseBusyError(StorageError):
    """Another window or program has the database open, or is restoring it."""


class DatabaseDamagedError(DatabaseFileError):
    """The database file itself is damaged: the one problem a backup put in its place can cure."""


class PermissionDeniedError(FupinError):
    """The signed-in account's role does not allow this (a read-only account writing …)."""


class SignInError(FupinError):
    """Wrong name or password, a disabled account, or too many attempts."""
