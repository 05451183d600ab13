"""Builds small CTF XML files for the checks tests (my own fictional data)."""

from __future__ import annotations

PUPIL = """
    <Pupil>
      <UPN>{upn}</UPN>
      <Surname>{surname}</Surname><Forename>{forename}</Forename>
      <DOB>{dob}</DOB><{sex_tag}>{sex}</{sex_tag}>
      <BasicDetails><MiddleNames>JO</MiddleNames><NCyearActual>5</NCyearActual></BasicDetails>
      <Address>
        <BS7666Address><PAON>10</PAON><Street>Fictional Street</Street><Town>Liverpool</Town>
        </BS7666Address>
        <PostCode>l8 1aa</PostCode>
      </Address>
    </Pupil>"""


def ctf(
    *,
    version: str = "25.0",
    dest: tuple[str, str] = ("XXX", "XXXX"),
    pupils: int = 1,
    upn: str = "",
    surname: str = "SMITH",
    forename: str = "ALEX",
    dob: str = "2015-03-14",
    sex_tag: str = "Sex",
    sex: str = "F",
) -> bytes:
    body = "".join(
        PUPIL.format(upn=upn, surname=surname, forename=forename, dob=dob, sex_tag=sex_tag, sex=sex)
        for _ in range(pupils)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<CTfile>
  <Header>
    <DocumentName>Common Transfer File</DocumentName>
    <CTFversion>{version}</CTFversion>
    <DateTime>2025-11-03T14:05:09</DateTime>
    <DocumentQualifier>full</DocumentQualifier>
    <SupplierID>ExampleMIS</SupplierID>
    <SourceSchool><LEA>341</LEA><Estab>2001</Estab><SchoolName>Example Primary</SchoolName>
      <AcademicYear>2025</AcademicYear></SourceSchool>
    <DestSchool><LEA>{dest[0]}</LEA><Estab>{dest[1]}</Estab></DestSchool>
  </Header>
  <CTFpupilData>{body}
  </CTFpupilData>
</CTfile>""".encode()
