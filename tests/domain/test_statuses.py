"""The status words of rosters and filters: official terms, variants, what each implies."""

import pytest

from fupin_desktop.domain import vocab
from fupin_desktop.domain.statuses import read_status, status_filter
from fupin_desktop.errors import InputError


def test_every_program_status_reads_as_itself():
    for status in vocab.HOUSEHOLD_STATUSES:
        assert read_status(status).status == status  # type: ignore[union-attr]
        assert status_filter(status) == (status, None)


@pytest.mark.parametrize(("word", "status", "attributes"), [
    ("脱贫户", "已脱贫(享受政策)", ()), ("脱贫", "已脱贫(享受政策)", ()),
    ("已脱贫（享受政策）", "已脱贫(享受政策)", ()),
    ("脱贫不稳定户", "监测户", ("buwending",)), ("边缘易致贫户", "边缘户", ("bianyuan",)),
    ("突发严重困难户", "监测户", ()), ("监测对象", "监测户", ()), ("一般户", "一般农户", ()),
    ("贫困户", "未脱贫", ()), ("低保户", None, ("dibao",)), ("五保户", None, ("tekun",)), (" 特困 ", None, ("tekun",)),
])
def test_official_terms_and_variants(word, status, attributes):
    term = read_status(word)
    assert term is not None and (term.status, term.attributes) == (status, attributes)


def test_filters_take_the_same_words_and_refuse_unknown_ones():
    assert status_filter("脱贫户") == ("已脱贫(享受政策)", None)
    assert status_filter("低保户") == (None, "dibao")
    with pytest.raises(InputError, match="无法识别.*脱贫户"):
        status_filter("胡说")
