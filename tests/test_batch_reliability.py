"""Reliability statistics equal R's psych::alpha on recorded synthetic cohorts.

The expected values below were computed with R 4.2 and psych 2.2.9 from the cohorts of
``tests/batch_cohorts.py`` (seed ``batch_cohorts.SEED``): each scale's keyed complete
cases written by ``batch_cohorts.write_for_r`` and read by ``batch_cohorts.R_SCRIPT``
(``psych::alpha(x, check.keys = FALSE)``). R is not needed to run these tests.
"""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

import resilience as rs
from batch_cohorts import cohort
from resilience import batch
from resilience.errors import BatchInputError

ENGINE = rs.Engine(load_installed=False)
TOLERANCE = 1e-9  # psych printed 12 decimals

PSYCH = {
    ("brs", "total"): {
        "raw_alpha": 0.865063585038,
        "std_alpha": 0.865005868983,
        "average_r": 0.516430461846,
        "ase": 0.01097106331,
        "feldt": (0.842365219736, 0.885484920454),
        "r_drop": [
            0.647844262032,
            0.656451347715,
            0.667720124825,
            0.625282049033,
            0.676245736674,
            0.684552401816,
        ],
        "alpha_if_dropped": [
            0.844415025083,
            0.84290935912,
            0.840918201853,
            0.848341210471,
            0.839334515738,
            0.837827429929,
        ],
        "std_alpha_if_dropped": [
            0.844332949436,
            0.842888301541,
            0.840796667058,
            0.848275122524,
            0.839304497156,
            0.83782062342,
        ],
        "n_complete": 363,
    },
    ("djg-6", "total"): {
        "raw_alpha": 0.674392769169,
        "std_alpha": 0.674663872685,
        "average_r": 0.256850362122,
        "ase": 0.026955120544,
        "feldt": (0.618806953261, 0.724327798933),
        "r_drop": [
            0.411340520819,
            0.42658949516,
            0.323083552676,
            0.411340520819,
            0.448274135744,
            0.401483992422,
        ],
        "alpha_if_dropped": [
            0.630346918714,
            0.624995793031,
            0.660499729101,
            0.630346918714,
            0.617431972789,
            0.633711219952,
        ],
        "std_alpha_if_dropped": [
            0.630454497315,
            0.62555838883,
            0.660639506527,
            0.630440288661,
            0.618033962961,
            0.633797227133,
        ],
        "n_complete": 353,
    },
    ("djg-6", "emotional"): {
        "raw_alpha": 0.607583727397,
        "std_alpha": 0.607540769037,
        "average_r": 0.34037452242,
        "ase": 0.034956302832,
        "feldt": (0.533718719137, 0.671452171181),
        "r_drop": [0.417081350971, 0.40366832137, 0.426860511516],
        "alpha_if_dropped": [0.506098913285, 0.525417245035, 0.491699908467],
        "std_alpha_if_dropped": [0.506120510066, 0.525433766876, 0.491700300154],
        "n_complete": 378,
    },
    ("djg-6", "social"): {
        "raw_alpha": 0.602275262101,
        "std_alpha": 0.602484594642,
        "average_r": 0.335640252549,
        "ase": 0.035611239921,
        "feldt": (0.52708880073, 0.667248430457),
        "r_drop": [0.435402425583, 0.370819121255, 0.42676016754],
        "alpha_if_dropped": [0.465670835958, 0.56, 0.47850625739],
        "std_alpha_if_dropped": [0.465689868313, 0.56, 0.478525650729],
        "n_complete": 375,
    },
    ("mspss", "total"): {
        "raw_alpha": 0.832989116477,
        "std_alpha": 0.832579179347,
        "average_r": 0.292993621399,
        "ase": 0.014172058302,
        "feldt": (0.804068585062, 0.859275817283),
        "r_drop": [
            0.529312258484,
            0.489245067386,
            0.390283796035,
            0.476468965278,
            0.586673787652,
            0.499022518684,
            0.484470222349,
            0.467962094999,
            0.45411748438,
            0.499773755916,
            0.53391862916,
            0.477223613197,
        ],
        "alpha_if_dropped": [
            0.817432980078,
            0.820674452229,
            0.828020795588,
            0.821657941906,
            0.812581153031,
            0.819906021682,
            0.821074528714,
            0.822371482138,
            0.823374669105,
            0.819846411988,
            0.817105584437,
            0.821636974679,
        ],
        "std_alpha_if_dropped": [
            0.817274435426,
            0.820361745665,
            0.827742965608,
            0.821000775504,
            0.812533204315,
            0.819436789895,
            0.820603570543,
            0.821568944861,
            0.82293552288,
            0.819659160868,
            0.816376033622,
            0.821135902677,
        ],
        "n_complete": 308,
    },
    ("mspss", "significant-other"): {
        "raw_alpha": 0.808658829243,
        "std_alpha": 0.808657044489,
        "average_r": 0.513749818496,
        "ase": 0.016236451149,
        "feldt": (0.774766594575, 0.838589655099),
        "r_drop": [0.667408294741, 0.592860190784, 0.657949701328, 0.583902064068],
        "alpha_if_dropped": [0.739670189729, 0.775806989795, 0.744075148139, 0.779216784852],
        "std_alpha_if_dropped": [0.739333952854, 0.775786323117, 0.744511618543, 0.779317354371],
        "n_complete": 371,
    },
    ("mspss", "family"): {
        "raw_alpha": 0.76940477653,
        "std_alpha": 0.769471750528,
        "average_r": 0.454882175575,
        "ase": 0.019587752124,
        "feldt": (0.728441631507, 0.805567832169),
        "r_drop": [0.535442639101, 0.589468025933, 0.561737374834, 0.595311963785],
        "alpha_if_dropped": [0.73228335524, 0.704526139348, 0.71918638336, 0.70078888221],
        "std_alpha_if_dropped": [0.732608459039, 0.70440583544, 0.719306806578, 0.701121004675],
        "n_complete": 369,
    },
    ("mspss", "friends"): {
        "raw_alpha": 0.74427770447,
        "std_alpha": 0.743999342761,
        "average_r": 0.420813638594,
        "ase": 0.021992189673,
        "feldt": (0.698248857091, 0.784849740285),
        "r_drop": [0.496211563649, 0.548843943318, 0.531307355907, 0.574726246117],
        "alpha_if_dropped": [0.708382556996, 0.679349244954, 0.68933622788, 0.66419148064],
        "std_alpha_if_dropped": [0.708124655771, 0.679453085616, 0.68875790628, 0.664441320201],
        "n_complete": 360,
    },
    ("lsns-6", "total"): {
        "raw_alpha": 0.74769548288,
        "std_alpha": 0.747751880698,
        "average_r": 0.330682140526,
        "ase": 0.021121192637,
        "feldt": (0.704751801838, 0.786285275011),
        "r_drop": [
            0.437067927518,
            0.491140966609,
            0.470886933903,
            0.506049510489,
            0.502454859548,
            0.504450019009,
        ],
        "alpha_if_dropped": [
            0.724843756523,
            0.710150104968,
            0.715772804917,
            0.705863248692,
            0.707016422856,
            0.706494489958,
        ],
        "std_alpha_if_dropped": [
            0.725029374466,
            0.710318600565,
            0.715484540944,
            0.705719535824,
            0.707180056229,
            0.706790591388,
        ],
        "n_complete": 355,
    },
    ("lsns-6", "family"): {
        "raw_alpha": 0.705049806067,
        "std_alpha": 0.705018839613,
        "average_r": 0.443418583196,
        "ase": 0.02621228992,
        "feldt": (0.649688615623, 0.752937080317),
        "r_drop": [0.49346205318, 0.526834565463, 0.546539958316],
        "alpha_if_dropped": [0.64962886121, 0.608565425962, 0.58319204136],
        "std_alpha_if_dropped": [0.649750380186, 0.608593986812, 0.583221413341],
        "n_complete": 380,
    },
    ("lsns-6", "friends"): {
        "raw_alpha": 0.760958455596,
        "std_alpha": 0.76135239123,
        "average_r": 0.51536915722,
        "ase": 0.021492968617,
        "feldt": (0.715573564791, 0.800155149855),
        "r_drop": [0.57671315462, 0.577027905841, 0.622263436114],
        "alpha_if_dropped": [0.697319173457, 0.695975404963, 0.645366492639],
        "std_alpha_if_dropped": [0.697331360605, 0.696332852924, 0.645595463404],
        "n_complete": 372,
    },
    ("ucla-3", "total"): {
        "raw_alpha": 0.717948074375,
        "std_alpha": 0.717523510903,
        "average_r": 0.45849525251,
        "ase": 0.025366238272,
        "feldt": (0.664319353518, 0.764255375914),
        "r_drop": [0.535142725057, 0.587825976089, 0.491671368877],
        "alpha_if_dropped": [0.631985219181, 0.565496530287, 0.683333854183],
        "std_alpha_if_dropped": [0.632178243536, 0.565529333189, 0.683400139207],
        "n_complete": 371,
    },
}


@pytest.mark.parametrize(("instrument_id", "scale"), sorted(PSYCH), ids="/".join)
def test_alpha_and_item_statistics_equal_psych(instrument_id: str, scale: str) -> None:
    instrument = ENGINE.instruments[instrument_id]
    scores = batch.score_array(instrument, cohort(instrument))
    report = batch.reliability(instrument, scores)[scale]
    expected = PSYCH[(instrument_id, scale)]
    assert report.n_complete == expected["n_complete"]
    assert report.n_rows == len(scores)
    for name in ("raw_alpha", "std_alpha", "average_r", "ase"):
        assert getattr(report, name) == pytest.approx(expected[name], abs=TOLERANCE), name
    assert report.feldt == pytest.approx(expected["feldt"], abs=TOLERANCE)
    # psych prints Duhachek's interval as alpha ± 1.96 ase; here z is the exact quantile.
    z = statistics.NormalDist().inv_cdf(0.975)
    assert report.duhachek == pytest.approx(
        (report.raw_alpha - z * report.ase, report.raw_alpha + z * report.ase), abs=1e-12
    )
    assert [item.r_drop for item in report.items] == pytest.approx(
        expected["r_drop"], abs=TOLERANCE
    )
    assert [item.alpha_if_dropped for item in report.items] == pytest.approx(
        expected["alpha_if_dropped"], abs=TOLERANCE
    )
    assert [item.std_alpha_if_dropped for item in report.items] == pytest.approx(
        expected["std_alpha_if_dropped"], abs=TOLERANCE
    )


def test_reverse_keyed_items_count_as_they_are_scored() -> None:
    # On the raw answers BRS's reversed items would pull alpha down; on keyed scores the
    # items agree. The keyed item scores are what the report uses.
    brs = ENGINE.instruments["brs"]
    answers = cohort(brs)
    keyed = batch.reliability(brs, batch.score_array(brs, answers))["total"]
    raw = answers[~np.isnan(answers).any(axis=1)]
    covariance = np.cov(raw, rowvar=False)
    k = covariance.shape[0]
    raw_alpha = (1 - np.trace(covariance) / covariance.sum()) * k / (k - 1)
    assert keyed.raw_alpha > 0.8 > raw_alpha


def test_a_wider_confidence_level_gives_a_wider_interval() -> None:
    ucla = ENGINE.instruments["ucla-3"]
    scores = batch.score_array(ucla, cohort(ucla))
    narrow = batch.reliability(ucla, scores, confidence=0.9)["total"]
    wide = batch.reliability(ucla, scores, confidence=0.99)["total"]
    assert wide.feldt[0] < narrow.feldt[0] < narrow.raw_alpha < narrow.feldt[1] < wide.feldt[1]
    assert wide.duhachek[0] < narrow.duhachek[0]


def test_too_few_cases_or_items_give_nan_not_an_error() -> None:
    ucla = ENGINE.instruments["ucla-3"]
    report = batch.reliability(ucla, batch.score_array(ucla, np.array([[1, 2, 3]])))["total"]
    assert report.n_complete == 1
    assert math.isnan(report.raw_alpha)
    assert report.items == ()


def test_scores_of_another_instrument_are_refused() -> None:
    ucla, brs = ENGINE.instruments["ucla-3"], ENGINE.instruments["brs"]
    scores = batch.score_array(ucla, np.array([[1, 2, 3]]))
    with pytest.raises(BatchInputError, match="the scores are of ucla-3"):
        batch.reliability(brs, scores)
