"""Write the next Alembic revision from the models: `python scripts/new_migration.py "plans and measures"`.

Builds a scratch SQLite database at the current head, autogenerates against the models and names
the file NNNN_slug.py with revision id NNNN, so the chain reads 0001, 0002, 0003 …
"""

import re
import sys
import tempfile
from pathlib import Path

from alembic import command

from fupin_desktop.db import migrate
from fupin_desktop.db.session import make_engine


def main(message: str) -> None:
    number = f"{int(migrate.head_revision()) + 1:04d}"
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        migrate.upgrade_to_head(engine)
        cfg = migrate.alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            script = command.revision(cfg, message=message, autogenerate=True, rev_id=number)
        engine.dispose()
    slug = re.sub(r"\W+", "_", message.lower()).strip("_")
    path = Path(script.path)
    target = path.with_name(f"{number}_{slug}.py")
    path.rename(target)
    print(target)


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]) or sys.exit("usage: new_migration.py MESSAGE"))
