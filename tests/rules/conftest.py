"""Shared fixtures for the rules tests: Liverpool's published term dates, 2023/24 and 2024/25.

A copy of the first two years of /work/shared/data/liverpool-term-dates.csv, so the tests run
without the shared folder.
"""

import io

import pytest

from cme.rules import SchoolCalendar

LIVERPOOL_2023_25 = """academic_year,term,kind,first_day,last_day,note
2023/24,autumn,term,2023-09-01,2023-12-22,
2023/24,autumn,half_term,2023-10-30,2023-11-03,
2023/24,spring,term,2024-01-08,2024-03-28,
2023/24,spring,half_term,2024-02-12,2024-02-16,
2023/24,summer,term,2024-04-15,2024-07-22,
2023/24,summer,half_term,2024-05-27,2024-05-31,
2024/25,autumn,term,2024-09-02,2024-12-20,
2024/25,autumn,half_term,2024-10-28,2024-11-01,
2024/25,spring,term,2025-01-06,2025-04-04,
2024/25,spring,half_term,2025-02-17,2025-02-21,
2024/25,summer,term,2025-04-22,2025-07-22,
2024/25,summer,half_term,2025-05-26,2025-05-30,
"""


@pytest.fixture(scope="session")
def liverpool() -> SchoolCalendar:
    return SchoolCalendar.from_csv(io.StringIO(LIVERPOOL_2023_25))


@pytest.fixture(scope="session")
def liverpool_text() -> str:
    return LIVERPOOL_2023_25
