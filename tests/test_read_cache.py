"""Web pages unchanged since the last run are not extracted again; changed ones are."""
from pipeline import read_cache
from pipeline.read_cache import ReadCache
from pipeline.readers import Record, read_records

PAGE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>Le conseil municipal s'est réuni mardi soir pour voter le budget de la commune, adopté
par vingt voix contre sept après un long débat sur la hausse des impôts locaux.</p>
<p>La prochaine séance est prévue le 15 avril, a indiqué la mairie dans un communiqué.</p>
</article></body></html>"""


def write_page(path, title):
    path.write_text(PAGE.format(title=title), encoding="utf-8")


def test_unchanged_pages_come_from_the_cache_and_changed_ones_are_read(tmp_path, monkeypatch):
    folder, state = tmp_path / "pages", tmp_path / "state"
    folder.mkdir()
    write_page(folder / "a.html", "Le budget voté")
    write_page(folder / "b.html", "Les impôts en hausse")
    (folder / "c.txt").write_text("Un texte simple, lu à chaque fois.", encoding="utf-8")
    first = list(read_records([str(folder)], cache=ReadCache(state, "settings")))

    extracted = []
    original = read_cache.ReadCache.items

    def counting(self, path, read):
        def counted():
            extracted.append(path.name)
            return read()

        return original(self, path, counted)

    monkeypatch.setattr(read_cache.ReadCache, "items", counting)
    again = list(read_records([str(folder)], cache=ReadCache(state, "settings")))
    assert again == first and extracted == ["c.txt"], "only the text file is read again"

    extracted.clear()
    write_page(folder / "b.html", "Les impôts baissent")
    changed = list(read_records([str(folder)], cache=ReadCache(state, "settings")))
    assert extracted == ["b.html", "c.txt"]
    assert [item.title for item in changed if isinstance(item, Record)][1] != [item.title for item in first if isinstance(item, Record)][1]

    extracted.clear()
    list(read_records([str(folder)], cache=ReadCache(state, "other settings")))
    assert extracted == ["a.html", "b.html", "c.txt"], "other settings: every page is read again"


def test_a_cache_that_cannot_be_read_is_ignored(tmp_path):
    folder, state = tmp_path / "pages", tmp_path / "state"
    folder.mkdir()
    state.mkdir()
    write_page(folder / "a.html", "Le budget voté")
    (state / read_cache.CACHE_FILE).write_text("{not json", encoding="utf-8")
    items = list(read_records([str(folder)], cache=ReadCache(state, "settings")))
    assert [type(item) for item in items] == [Record]
    assert list(read_records([str(folder)], cache=ReadCache(state, "settings"))) == items
