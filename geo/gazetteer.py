"""Offline gazetteer: places, their names in ar/fr/en, and their geometry.

CONTRACT (other modules are written against this; keep the signatures):

    @dataclass(frozen=True, slots=True)
    class NameEntry:
        place_id: str          # "" for kind == "trap"
        kind: str              # "toponym" | "demonym" | "trap"
        lang: str              # "ar" | "fr" | "en" | "*" (any language)
        name: str              # the name as written in the source data

    class Gazetteer:
        @classmethod
        def load(cls, *, cache_dir: Path | None = None, rebuild: bool = False) -> Gazetteer
            # builds the index on first use, caches it (pickle/npz) under cache_dir
            # (default: $KHARITA_CACHE_DIR or ~/.cache/kharita), loads it in <= 1 s after that
        def lookup(self, key: str) -> tuple[NameEntry, ...]     # key = geo.normalize.normalize_key(name)
        def keys(self) -> Iterable[str]                          # every normalised key
        def automaton(self) -> ahocorasick.Automaton             # keys -> key (str), built once, cached
        def place(self, place_id: str) -> Place                  # KeyError if unknown
        def country(self, iso2: str) -> Place | None
        def geometry(self, place_id: str) -> BaseGeometry | None # EPSG:4326, lazy, valid
        def __len__(self) -> int                                 # number of places

    def get_gazetteer() -> Gazetteer  # process-wide default instance (lru_cache)
"""
