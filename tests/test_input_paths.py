"""Every path given or found ends in documents or in rejects: symbolic links are followed
wherever they point, and what cannot be read is rejected with the reason."""
import os

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.readers import expand_inputs

ARTICLE = (
    "Le conseil municipal a voté le budget\n\n"
    "Le conseil municipal a voté jeudi soir le budget de la ville pour l’année prochaine, "
    "après un long débat sur le prix des cantines et l’entretien des écoles."
)

runner = CliRunner()


@pytest.fixture
def tree(tmp_path):
    """An input folder beside another folder (`elsewhere`) that its links point into."""
    folder, elsewhere = tmp_path / "in", tmp_path / "elsewhere"
    (elsewhere / "dossier").mkdir(parents=True)
    folder.mkdir()
    (folder / "local.txt").write_text(ARTICLE, encoding="utf-8")
    (elsewhere / "outside.txt").write_text(ARTICLE, encoding="utf-8")
    (elsewhere / "dossier" / "inner.txt").write_text(ARTICLE, encoding="utf-8")
    return folder, elsewhere


def sources(rejects):
    return {os.path.basename(reject.source): reject.reason for reject in rejects}


def test_a_linked_file_outside_the_folder_is_read_under_the_link_name(tree):
    folder, elsewhere = tree
    (folder / "linked.txt").symlink_to(elsewhere / "outside.txt")
    files, rejects = expand_inputs([folder])
    assert files == [folder / "linked.txt", folder / "local.txt"] and rejects == []


def test_a_linked_folder_is_followed(tree):
    folder, elsewhere = tree
    (folder / "dossier").symlink_to(elsewhere / "dossier", target_is_directory=True)
    files, rejects = expand_inputs([folder])
    assert files == [folder / "dossier" / "inner.txt", folder / "local.txt"] and rejects == []


def test_a_dangling_link_is_rejected_in_a_folder_and_given_alone(tree):
    folder, _ = tree
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    (folder / "gone").symlink_to(folder / "no-such-folder")
    files, rejects = expand_inputs([folder, folder / "gone.txt"])
    assert files == [folder / "local.txt"]
    assert sources(rejects) == {
        "gone": f"broken symbolic link: its target {folder / 'no-such-folder'} does not exist",
        "gone.txt": f"broken symbolic link: its target {folder / 'nowhere.txt'} does not exist",
    }


def test_a_link_back_to_an_enclosing_folder_is_a_loop_read_once(tree):
    folder, _ = tree
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..", target_is_directory=True)
    (folder / "a").symlink_to("b")
    (folder / "b").symlink_to("a")
    files, rejects = expand_inputs([folder])
    assert files == [folder / "local.txt"]
    assert sources(rejects) == {
        "up": f"symbolic link loop: leads back to the folder {folder}, which holds it",
        "a": "symbolic link loop: its target b never leads to a file or folder",
        "b": "symbolic link loop: its target a never leads to a file or folder",
    }


def test_a_second_path_to_a_file_or_folder_is_rejected_and_the_same_path_read_once(tree):
    folder, elsewhere = tree
    (folder / "copy.txt").symlink_to(folder / "local.txt")
    (folder / "zz-later.txt").hardlink_to(folder / "local.txt")  # a hard link: the first in order is read
    (folder / "first").symlink_to(elsewhere / "dossier", target_is_directory=True)
    (folder / "second").symlink_to(elsewhere / "dossier", target_is_directory=True)
    files, rejects = expand_inputs([folder, folder / "local.txt", str(folder) + "/"])
    assert files == [folder / "first" / "inner.txt", folder / "local.txt"]
    assert sources(rejects) == {
        "copy.txt": f"same file as {folder / 'local.txt'}, already read",
        "zz-later.txt": f"same file as {folder / 'local.txt'}, already read",
        "second": f"same folder as {folder / 'first'}, already read",
    }


def test_a_pipe_is_rejected_not_read(tree):
    folder, _ = tree
    os.mkfifo(folder / "pipe.jsonl")
    files, rejects = expand_inputs([folder])
    assert files == [folder / "local.txt"]
    assert sources(rejects) == {"pipe.jsonl": "not a regular file or folder (a named pipe)"}


def test_an_unreadable_folder_is_rejected(tree):
    folder, _ = tree
    locked = folder / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text(ARTICLE, encoding="utf-8")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("root reads a folder whatever its permissions")
        _, rejects = expand_inputs([folder])
        assert sources(rejects) == {"locked": "cannot read folder (Permission denied)"}
    finally:
        locked.chmod(0o755)


def test_a_glob_reads_the_folders_it_matches(tree):
    folder, elsewhere = tree
    files, rejects = expand_inputs([str(elsewhere / "*")])
    assert files == [elsewhere / "dossier" / "inner.txt", elsewhere / "outside.txt"] and rejects == []


def test_every_path_ends_in_documents_or_rejects(tree, tmp_path):
    """The run, end to end: each article read once, each path not read named with a reason."""
    folder, elsewhere = tree
    (folder / "linked.txt").symlink_to(elsewhere / "outside.txt")
    (folder / "dossier").symlink_to(elsewhere / "dossier", target_is_directory=True)
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    (folder / "copy.txt").symlink_to(folder / "local.txt")
    (folder / "notes.md").write_text("# pas un article", encoding="utf-8")
    output = tmp_path / "out"
    result = runner.invoke(app, ["clean", "--input", str(folder), "--output", str(output)])
    assert result.exit_code == 0, result.output
    documents = pd.read_parquet(output / "documents.parquet")
    rejects = pd.read_parquet(output / "rejects.parquet")
    assert sorted(documents["doc_id"]) == ["inner", "linked", "local"]
    assert sorted(rejects["source"].map(os.path.basename)) == ["copy.txt", "gone.txt"]
    assert set(rejects["stage"]) == {"read"}
