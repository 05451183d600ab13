"""What the writer writes, the reader reads back the same: generated files of every version."""

from __future__ import annotations

from ctf_strategies import TODAY, ctf_files, names, pupils
from hypothesis import given
from hypothesis import strategies as st

from cme.ctf import CtfFile, Header, Pupil, read_ctf, write_ctf


@given(ctf_files())
def test_what_it_writes_it_reads_back_the_same(file):
    assert read_ctf(write_ctf(file), today=TODAY) == file


@given(ctf_files())
def test_writing_what_was_read_gives_the_same_bytes(file):
    data = write_ctf(file)
    assert write_ctf(read_ctf(data, today=TODAY)) == data


@given(st.sampled_from(["18.0", "20.0", "23.0", "25.0", "26.0"]), st.data())
def test_each_version_keeps_its_sex_element(version, data):
    pupil = data.draw(pupils(version))
    file = CtfFile(header=Header(version=version), pupils=(pupil,))
    again = read_ctf(write_ctf(file), today=TODAY).pupils[0]
    assert (again.sex, again.sex_element) == (pupil.sex, pupil.sex_element)
    if pupil.sex:
        assert f"<{pupil.sex_element}>{pupil.sex}</{pupil.sex_element}>".encode() in write_ctf(file)


@given(names, names)
def test_unicode_names_survive(surname, forename):
    file = CtfFile(
        header=Header(version="26.0"), pupils=(Pupil(surname=surname, forename=forename),)
    )
    pupil = read_ctf(write_ctf(file), today=TODAY).pupils[0]
    assert (pupil.surname, pupil.forename) == (surname, forename)
