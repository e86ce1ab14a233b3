"""The benchmark's deterministic data set: users, products with stock, and long reviews.

Everything is generated from a fixed seed, so every run (and every gateway) sees the same
records and the same ≈ 90 KB answer to the benchmark operation. The sizes are tuned so the
operation's response lands near the size used by The Guild's gateways benchmark.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = [
    "PRODUCTS",
    "PRODUCTS_BY_UPC",
    "REVIEWS",
    "REVIEWS_BY_AUTHOR",
    "REVIEWS_BY_PRODUCT",
    "USERS",
    "USERS_BY_ID",
    "Product",
    "Review",
    "User",
    "shipping_estimate",
]

SEED = 20_261_122
USER_COUNT = 6
PRODUCT_COUNT = 9
REVIEW_COUNT = 18
REVIEW_WORDS = (24, 50)
"""Inclusive range of words in one review body."""

_VOCABULARY = (
    "policy premium claim cover deductible excess underwriter broker quote renewal insured "
    "liability accident theft flood storm hail windscreen roadside assistance no-claims bonus "
    "adjuster assessment repair garage courtesy car settlement payout invoice receipt photo "
    "inspection valuation depreciation replacement warranty contents building landlord tenant "
    "travel luggage delay cancellation medical dental pet vet kitten puppy bicycle e-bike "
    "smartphone laptop jewellery watch camera drone boat caravan motorbike van fleet "
    "quick slow friendly helpful patient clear confusing fair generous strict simple online "
    "phone chat email letter app portal form signature approved declined pending reopened "
    "honestly overall definitely surprisingly eventually finally again always never usually"
)
_WORDS = tuple(_VOCABULARY.split())


@dataclass(frozen=True, slots=True)
class User:
    """An account holder (owned by the accounts subgraph)."""

    id: str
    name: str
    username: str
    birthday: int


@dataclass(frozen=True, slots=True)
class Product:
    """A policy product (owned by products; stock by inventory)."""

    upc: str
    name: str
    price: int
    weight: int
    in_stock: bool


@dataclass(frozen=True, slots=True)
class Review:
    """A review of a product by a user (owned by the reviews subgraph)."""

    id: str
    body: str
    author_id: str
    product_upc: str


def shipping_estimate(price: int, weight: int) -> int:
    """Inventory's ``@requires(fields: "price weight")`` computation: free above 5,000."""
    return 0 if price > 5_000 else weight * 3 // 10


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 14))]
    return " ".join(words).capitalize() + rng.choice((".", ".", ".", "!", "?"))


def _body(rng: random.Random) -> str:
    target = rng.randint(*REVIEW_WORDS)
    sentences: list[str] = []
    count = 0
    while count < target:
        sentence = _sentence(rng)
        sentences.append(sentence)
        count += sentence.count(" ") + 1
    return " ".join(sentences)


def _generate() -> tuple[tuple[User, ...], tuple[Product, ...], tuple[Review, ...]]:
    rng = random.Random(SEED)
    first = ("Ada", "Bruno", "Chiara", "Dmitri", "Emeka", "Fatima", "Gustav", "Hana")
    last = ("Okafor", "Lindqvist", "Moreau", "Tanaka", "Varga", "Quispe", "Nakamura", "Osei")
    users = tuple(
        User(
            id=str(index + 1),
            name=f"{first[index]} {last[index]}",
            username=f"{first[index].lower()}{index + 1}",
            birthday=631_152_000 + rng.randint(0, 600_000_000),
        )
        for index in range(USER_COUNT)
    )
    kinds = ("Home", "Motor", "Travel", "Pet", "Gadget", "Bike", "Boat", "Landlord", "Health", "Life")
    products = tuple(
        Product(
            upc=str(index + 1),
            name=f"{kinds[index % len(kinds)]} Cover {index + 1}",
            price=rng.randint(15, 12_000),
            weight=rng.randint(10, 4_000),
            in_stock=rng.random() < 0.6,
        )
        for index in range(PRODUCT_COUNT)
    )
    reviews = tuple(
        Review(
            id=str(index + 1),
            body=_body(rng),
            author_id=users[index % USER_COUNT].id,
            product_upc=products[(index * 5) % PRODUCT_COUNT].upc,
        )
        for index in range(REVIEW_COUNT)
    )
    return users, products, reviews


USERS, PRODUCTS, REVIEWS = _generate()
USERS_BY_ID = {user.id: user for user in USERS}
PRODUCTS_BY_UPC = {product.upc: product for product in PRODUCTS}
REVIEWS_BY_AUTHOR: dict[str, tuple[Review, ...]] = {
    user.id: tuple(review for review in REVIEWS if review.author_id == user.id) for user in USERS
}
REVIEWS_BY_PRODUCT: dict[str, tuple[Review, ...]] = {
    product.upc: tuple(review for review in REVIEWS if review.product_upc == product.upc)
    for product in PRODUCTS
}
