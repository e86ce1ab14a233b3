"""Deterministic generation of realistic Russian clients for seed data.

``generate_cards(n)`` returns the same ``n`` cards on every run: client ``i`` has id
``client_seed_id(i)`` and draws from its own ``random.Random`` seeded with ``i``, and values that
must be unique (phones, e-mails, document numbers, VINs, plates) are de-duplicated in order, so
the first ``n`` cards of a larger seed are the cards of a smaller one. Dates are relative to
``SEED_ANCHOR``, never the clock. Names agree in gender (Иванов Иван Петрович / Иванова Мария
Сергеевна) and a client's father, siblings and children carry matching patronymics.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from services.client_info.documents import DocumentType, inn_check_digits, snils_check_digits
from services.client_info.records import (
    Address,
    AddressKind,
    ClientCard,
    Document,
    Employment,
    Health,
    Marketing,
    RelationType,
    Relative,
    Vehicle,
)
from services.client_info.seed_data import (
    CITIES,
    EMAIL_DOMAINS,
    EMPLOYERS,
    FEMALE_NAMES,
    MALE_NAMES,
    PHONE_PREFIXES,
    PLATE_LETTERS,
    POSITIONS,
    STREETS,
    SURNAMES,
    VEHICLE_MODELS,
    City,
    MaleName,
    feminine_surname,
)
from services.client_info.seed_vehicles import vin_for
from services.common.catalog import SEED_ANCHOR, SEED_NAMESPACE, client_seed_id

__all__ = ["generate_cards", "transliterate"]

_TODAY = SEED_ANCHOR.date()
_ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y",
    "ь": "", "э": "e", "ю": "iu", "я": "ia", "-": "",
}  # fmt: skip


def transliterate(text: str) -> str:
    """Latin spelling of a Cyrillic name as in Russian passports (ICAO Doc 9303): Щукин → shchukin."""
    return "".join(_ICAO.get(ch, ch) for ch in text.lower())


@dataclass(slots=True)
class _Registry:
    """Values already handed out, so the generated cards never clash on unique columns."""

    taken: set[str] = field(default_factory=set)

    def claim(self, rng: random.Random, make: Callable[[random.Random], str]) -> str:
        """Call ``make(rng)`` until it yields an unused value."""
        while True:
            value = make(rng)
            if value not in self.taken:
                self.taken.add(value)
                return value


def generate_cards(count: int) -> list[ClientCard]:
    """The first ``count`` seed clients (same ``count`` → identical cards)."""
    registry = _Registry()
    return [_card(index, registry) for index in range(count)]


def _card(index: int, registry: _Registry) -> ClientCard:
    rng = random.Random(f"client_info/client/{index}")
    client_id = client_seed_id(index)
    male = rng.random() < 0.5
    surname = rng.choice(SURNAMES)
    father = rng.choice(MALE_NAMES)
    first_name = rng.choice(MALE_NAMES).name if male else rng.choice(FEMALE_NAMES)
    born = _between(rng, date(_TODAY.year - 76, 1, 1), date(_TODAY.year - 21, 12, 31))
    city = rng.choices(CITIES, weights=[c.weight for c in CITIES])[0]
    last_name = surname if male else feminine_surname(surname)
    created = SEED_ANCHOR - timedelta(days=rng.randint(1, 1800), seconds=rng.randint(0, 86399))
    updated = created + (SEED_ANCHOR - created) * rng.random() * 0.5
    employment = _employment(rng, born, male, city)
    vehicles = _vehicles(rng, index, born, city, registry) if rng.random() < 0.6 else ()
    documents = _documents(rng, index, born, city, registry, driver=bool(vehicles) or rng.random() < 0.15)
    return ClientCard(
        id=client_id,
        last_name=last_name,
        first_name=first_name,
        middle_name=father.son if male else father.daughter,
        birth_date=born,
        phone=registry.claim(rng, lambda r: f"+7{r.choice(PHONE_PREFIXES)}{r.randint(0, 9_999_999):07d}"),
        email=registry.claim(rng, lambda r: _email(r, first_name, last_name, born)),
        created_at=created.replace(microsecond=0),
        updated_at=updated.replace(microsecond=0),
        addresses=_addresses(rng, city),
        documents=documents,
        relatives=_relatives(rng, index, male, surname, first_name, father, born),
        vehicles=vehicles,
        employment=employment,
        health=_health(rng, born, male),
        marketing=_marketing(rng, employment),
    )


def _child_id(index: int, kind: str) -> str:
    return str(uuid.uuid5(SEED_NAMESPACE, f"client/{index}/{kind}"))


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February
        return born.replace(year=born.year + years, day=28)


def _age(born: date) -> int:
    return _TODAY.year - born.year - ((_TODAY.month, _TODAY.day) < (born.month, born.day))


def _email(rng: random.Random, first_name: str, last_name: str, born: date) -> str:
    first, last = transliterate(first_name), transliterate(last_name)
    local = rng.choice(
        [f"{first}.{last}", f"{first[0]}.{last}", f"{last}.{first}", f"{last}{born.year % 100:02d}"]
    )
    if rng.random() < 0.4:
        local += str(rng.randint(1, 999))
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"


def _addresses(rng: random.Random, city: City) -> tuple[Address, ...]:
    def address(kind: AddressKind, where: City) -> Address:
        house = str(rng.randint(1, 120)) + rng.choice(["", "", "", "А", "Б", "к1", "к2", "с3"])
        apartment = "" if rng.random() < 0.08 else str(rng.randint(1, 320))
        postal = str(rng.randint(where.postal_from, where.postal_to))
        return Address(kind, where.region, where.name, rng.choice(STREETS), house, apartment, postal)

    addresses = [address(AddressKind.REGISTRATION, city)]
    if rng.random() < 0.3:
        moved_to = city if rng.random() < 0.6 else rng.choice(CITIES)
        addresses.append(address(AddressKind.RESIDENCE, moved_to))
    if rng.random() < 0.1:
        addresses.append(address(AddressKind.MAILING, city))
    return tuple(addresses)


def _documents(
    rng: random.Random, index: int, born: date, city: City, registry: _Registry, *, driver: bool
) -> tuple[Document, ...]:
    def document(
        kind: DocumentType, number: str, issued: date, issuer: str, expires: date | None = None
    ) -> Document:
        return Document(_child_id(index, f"document/{kind.value}"), kind, number, issued, expires, issuer)

    milestones = [
        _birthday(born, age) for age in (14, 20, 45) if _birthday(born, age) < _TODAY - timedelta(days=60)
    ]
    issued = milestones[-1] + timedelta(days=rng.randint(3, 50))
    if issued < date(1997, 10, 1):  # Russian passports replaced Soviet ones from late 1997
        issued = _between(rng, date(1998, 1, 1), date(2003, 12, 31))
    series = f"{city.okato}{issued.year % 100:02d}"
    passport = registry.claim(rng, lambda r: f"{series}{r.randint(100_000, 999_999)}")
    snils_issued = _between(rng, max(_birthday(born, 16), date(1996, 6, 1)), _TODAY - timedelta(days=30))
    inn_issued = _between(rng, max(_birthday(born, 14), date(2000, 1, 1)), _TODAY - timedelta(days=30))
    documents = [
        document(DocumentType.PASSPORT_RF, passport, issued, city.passport_issuer),
        document(
            DocumentType.SNILS,
            registry.claim(rng, _snils),
            snils_issued,
            "СФР" if snils_issued.year >= 2023 else "ПФР",
        ),
        document(DocumentType.INN, registry.claim(rng, lambda r: _inn(r, city)), inn_issued, "ФНС России"),
    ]
    if driver:
        licence_issued = _between(
            rng, max(_birthday(born, 18), _TODAY - timedelta(days=3600)), _TODAY - timedelta(days=20)
        )
        number = registry.claim(
            rng, lambda r: f"{city.tax_code}{r.randint(10, 99)}{r.randint(0, 999_999):06d}"
        )
        gibdd = f"ГИБДД {city.tax_code}{rng.randint(1, 40):02d}"
        documents.append(
            document(
                DocumentType.DRIVER_LICENSE, number, licence_issued, gibdd, _birthday(licence_issued, 10)
            )
        )
    if rng.random() < 0.3:
        abroad = _between(
            rng, max(_birthday(born, 18), _TODAY - timedelta(days=3500)), _TODAY - timedelta(days=10)
        )
        number = registry.claim(
            rng, lambda r: f"{r.choice(['72', '75', '76', '77'])}{r.randint(0, 9_999_999):07d}"
        )
        documents.append(
            document(
                DocumentType.FOREIGN_PASSPORT,
                number,
                abroad,
                f"МВД {rng.randint(1, 999):03d}",
                _birthday(abroad, 10),
            )
        )
    return tuple(documents)


def _snils(rng: random.Random) -> str:
    body = f"{rng.randint(2_000_000, 199_999_999):09d}"
    return body + snils_check_digits(body)


def _inn(rng: random.Random, city: City) -> str:
    body = f"{city.tax_code}{rng.randint(1, 46):02d}{rng.randint(0, 999_999):06d}"
    return body + inn_check_digits(body)


def _vehicles(
    rng: random.Random, index: int, born: date, city: City, registry: _Registry
) -> tuple[Vehicle, ...]:
    vehicles = []
    for number in range(1 if rng.random() < 0.75 else 2):
        model = rng.choices(VEHICLE_MODELS, weights=[m.weight for m in VEHICLE_MODELS])[0]
        first_year = max(model.years[0], born.year + 18)
        year = rng.randint(first_year, max(first_year, min(model.years[1], _TODAY.year)))
        plate = registry.claim(
            rng,
            lambda r: "".join(
                (
                    r.choice(PLATE_LETTERS),
                    f"{r.randint(1, 999):03d}",
                    r.choice(PLATE_LETTERS),
                    r.choice(PLATE_LETTERS),
                    r.choice(city.plate_codes),
                )
            ),
        )
        vin = registry.claim(rng, partial(vin_for, model=model, year=year))
        power = rng.choice(model.powers_hp)
        vehicles.append(
            Vehicle(_child_id(index, f"vehicle/{number}"), vin, plate, model.make, model.model, year, power)
        )
    return tuple(vehicles)


def _relatives(
    rng: random.Random, index: int, male: bool, surname: str, first_name: str, father: MaleName, born: date
) -> tuple[Relative, ...]:
    age = _age(born)
    options: list[RelationType] = []
    if age >= 22:
        options.append(RelationType.SPOUSE)
    if age >= 25:
        options += [RelationType.CHILD, RelationType.CHILD]
    if age <= 60:
        options.append(RelationType.PARENT)
    options.append(RelationType.SIBLING)
    count = rng.choices([0, 1, 2, 3], weights=[25, 35, 25, 15])[0]
    chosen = rng.sample(options, min(count, len(options)))
    relatives = []
    spouse_name: str | None = None
    for number, relation in enumerate(sorted(chosen, key=list(RelationType).index)):
        relative_id = _child_id(index, f"relative/{number}")
        if relation is RelationType.SPOUSE:
            spouse_male = not male
            spouse = rng.choice(MALE_NAMES) if spouse_male else None
            spouse_name = spouse.name if spouse is not None else rng.choice(FEMALE_NAMES)
            spouse_father = rng.choice(MALE_NAMES)
            family = surname if rng.random() < 0.8 else rng.choice(SURNAMES)
            relatives.append(
                _relative(
                    rng,
                    relative_id,
                    relation,
                    spouse_male,
                    family,
                    spouse_name,
                    spouse_father,
                    _between(rng, _birthday(born, -6), min(_birthday(born, 6), _birthday(_TODAY, -19))),
                )
            )
        elif relation is RelationType.CHILD:
            child_male = rng.random() < 0.5
            dad_name = first_name if male else (spouse_name or rng.choice(MALE_NAMES).name)
            dad = next((m for m in MALE_NAMES if m.name == dad_name), rng.choice(MALE_NAMES))
            name = rng.choice(MALE_NAMES).name if child_male else rng.choice(FEMALE_NAMES)
            child_born = _between(
                rng, _birthday(born, 20), min(_birthday(born, 40), _TODAY - timedelta(days=200))
            )
            relatives.append(
                _relative(rng, relative_id, relation, child_male, surname, name, dad, child_born)
            )
        elif relation is RelationType.PARENT:
            parent_male = rng.random() < 0.5
            name = father.name if parent_male else rng.choice(FEMALE_NAMES)
            grandfather = rng.choice(MALE_NAMES)
            parent_born = _between(rng, _birthday(born, -38), _birthday(born, -20))
            relatives.append(
                _relative(rng, relative_id, relation, parent_male, surname, name, grandfather, parent_born)
            )
        else:
            sibling_male = rng.random() < 0.5
            name = rng.choice(MALE_NAMES).name if sibling_male else rng.choice(FEMALE_NAMES)
            sibling_born = _between(
                rng, _birthday(born, -10), min(_birthday(born, 10), _TODAY - timedelta(days=400))
            )
            relatives.append(
                _relative(rng, relative_id, relation, sibling_male, surname, name, father, sibling_born)
            )
    return tuple(relatives)


def _relative(
    rng: random.Random,
    relative_id: str,
    relation: RelationType,
    male: bool,
    surname: str,
    first_name: str,
    father: MaleName,
    born: date,
) -> Relative:
    last_name = surname if male else feminine_surname(surname)
    return Relative(
        relative_id, relation, last_name, first_name, father.son if male else father.daughter, born
    )


def _employment(rng: random.Random, born: date, male: bool, city: City) -> Employment:
    age = _age(born)
    if age >= (64 if male else 59):
        pension = rng.randint(18_000, 38_000)
        return Employment("", "пенсионер", pension * 100, min(age - 20, rng.randint(30, 45)))
    capital = city.tax_code in ("77", "78")
    income = int(rng.lognormvariate(11.0 + (0.35 if capital else 0.0), 0.45))
    income = max(22_500, min(income, 900_000)) // 500 * 500
    return Employment(
        rng.choice(EMPLOYERS), rng.choice(POSITIONS), income * 100, rng.randint(0, max(0, age - 20))
    )


def _health(rng: random.Random, born: date, male: bool) -> Health:
    height = round(rng.gauss(178, 7) if male else rng.gauss(165, 6))
    weight = round(rng.gauss(26, 4) * (height / 100) ** 2)
    chronic_chance = 0.05 + max(0, _age(born) - 20) * 0.008
    smoker = rng.random() < (0.28 if male else 0.14)
    return Health(height, weight, smoker, rng.random() < chronic_chance)


def _marketing(rng: random.Random, employment: Employment) -> Marketing:
    income = employment.monthly_income_kopecks // 100
    segment = "PREMIUM" if income > 250_000 else "AFFLUENT" if income > 120_000 else "MASS"
    channel = rng.choices(
        ["WEB", "MOBILE_APP", "PARTNER", "AGENT", "CALL_CENTER", "OFFICE"], weights=[35, 25, 15, 10, 10, 5]
    )[0]
    return Marketing(rng.random() < 0.7, rng.random() < 0.55, segment, channel)
