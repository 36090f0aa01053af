"""Copies are found under every edit re-uploaders make; other launches never are.

The clips are small synthetic launches (tests/media/clips.py): one channel's branding
(intro card and corner logo) on every clip, so unrelated launches share their first
seconds, as real militia videos do.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from config.settings import MediaSettings
from media.fingerprint import VideoFingerprint, fingerprint_file
from media.matcher import Matcher
from media.results import MatchResult
from media.synthetic import FAMILIES
from tests.media import clips


@dataclass(frozen=True)
class Corpus:
    paths: dict[str, Path]
    fingerprints: dict[str, VideoFingerprint]
    results: dict[frozenset[str], MatchResult]

    def result(self, a: str, b: str) -> MatchResult | None:
        return self.results.get(frozenset((a, b)))


@pytest.fixture(scope="module")
def corpus(request: pytest.FixtureRequest) -> Iterator[Corpus]:
    folder = clips.clip_folder(request.config)
    launch = clips.spec(11)
    paths = {
        "launch": clips.drawn(folder, "launch", launch),
        "other": clips.drawn(folder, "other", clips.spec(12)),  # same branding, other launch
        "night": clips.drawn(folder, "night", clips.spec(13, night=True)),
        "same-site": clips.drawn(folder, "same-site", clips.spec(14, site=11)),
    }
    for family in FAMILIES:
        paths[family] = clips.edited(folder, paths["launch"], family, seed=11)
    for codec in clips.CODECS:
        paths[codec] = clips.recoded(folder, paths["launch"], codec)
    paths["compilation"] = clips.compiled(
        folder, "compilation", paths["launch"], [paths["other"], paths["night"]], seed=3
    )
    fingerprints = {name: fingerprint_file(path) for name, path in paths.items()}
    matcher = Matcher(MediaSettings())
    matcher.add_many(fingerprints.items())
    results = {frozenset((r.a, r.b)): r for r in matcher.all_pairs() if r.kind == "copy"}
    yield Corpus(paths, fingerprints, results)


@pytest.mark.parametrize("family", FAMILIES)
def test_each_edit_family_is_found_as_a_copy(corpus: Corpus, family: str) -> None:
    found = corpus.result("launch", family)
    assert found is not None, f"{family} copy not found"
    assert found.kind == "copy" and 0.5 <= found.similarity <= 1.0
    assert found.segments and all(s.a_end > s.a_start for s in found.segments)


@pytest.mark.parametrize("codec", list(clips.CODECS))
def test_a_copy_in_another_codec_is_found_over_its_whole_length(corpus: Corpus, codec: str) -> None:
    found = corpus.result("launch", codec)
    assert found is not None and found.kind == "copy", f"{codec} copy not found"
    assert found.similarity >= 0.9
    start = min(s.a_start for s in found.segments)
    end = max(s.a_end for s in found.segments)
    assert start < 1.0 and end > clips.SECONDS - 1.0  # every second, not only the first


def test_other_launches_of_the_same_channel_are_not_copies(corpus: Corpus) -> None:
    launch_side = {"launch", *FAMILIES, *clips.CODECS, "compilation"}
    for other in ("other", "night", "same-site"):
        wrong = [
            r
            for r in corpus.results.values()
            if other in (r.a, r.b) and (set((r.a, r.b)) - {other}) <= launch_side - {"compilation"}
        ]
        assert wrong == [], f"{other} called a copy of {[(r.a, r.b) for r in wrong]}"


def test_a_clip_inside_a_compilation_is_found_with_its_seconds(corpus: Corpus) -> None:
    found = corpus.result("launch", "compilation")
    assert found is not None
    (segment,) = found.segments
    a_span, b_span = (segment.a_start, segment.a_end), (segment.b_start, segment.b_end)
    launch_span, comp_span = (a_span, b_span) if found.a == "launch" else (b_span, a_span)
    assert 2.5 <= launch_span[1] - launch_span[0] <= 4.5  # 4 s of the launch were re-used
    assert comp_span[0] > 1.0 and comp_span[1] < clips.SECONDS * 2  # inside the compilation


def test_mirrored_and_retimed_copies_say_so(corpus: Corpus) -> None:
    mirrored = corpus.result("launch", "mirror")
    sped_up = corpus.result("launch", "speed_125")
    assert mirrored is not None and mirrored.mirrored
    assert (
        sped_up is not None and abs(sped_up.speed - (0.8 if sped_up.a == "launch" else 1.25)) < 0.05
    )


def test_trimmed_copy_segment_says_which_seconds_match(corpus: Corpus) -> None:
    found = corpus.result("launch", "trim")
    assert found is not None
    (segment,) = found.segments
    launch_start = segment.a_start if found.a == "launch" else segment.b_start
    trim_start = segment.b_start if found.a == "launch" else segment.a_start
    assert launch_start - trim_start > 1.5  # the head (intro and more) was cut off


def test_query_finds_the_same_copies_as_all_pairs(corpus: Corpus) -> None:
    matcher = Matcher(MediaSettings())
    matcher.add_many((k, v) for k, v in corpus.fingerprints.items() if k != "crop")
    found = {r.b for r in matcher.query(corpus.fingerprints["crop"], "crop")}
    assert "launch" in found and not found & {"other", "night", "same-site"}


def test_two_worker_processes_find_exactly_what_one_does(corpus: Corpus) -> None:
    matcher = Matcher(MediaSettings())
    matcher.add_many(corpus.fingerprints.items())
    shared = matcher.all_pairs(workers=2)
    assert {frozenset((r.a, r.b)): r for r in shared if r.kind == "copy"} == corpus.results
    assert shared == matcher.all_pairs(workers=1)


def test_a_refused_key_leaves_the_files_added_before_it_findable(corpus: Corpus) -> None:
    matcher = Matcher(MediaSettings())
    fingerprints = corpus.fingerprints
    with pytest.raises(ValueError, match="launch is already in the matcher"):
        matcher.add_many(
            [
                ("launch", fingerprints["launch"]),
                ("other", fingerprints["other"]),
                ("launch", fingerprints["crop"]),
            ]
        )
    found = {r.b for r in matcher.query(fingerprints["crop"], "crop")}
    assert found == {"launch"} and len(matcher) == 2
