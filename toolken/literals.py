"""Values a question must write out for a tool to take them, and how a text writes them: links,
e-mail addresses, file paths, host names, IP addresses (or either, for a host), phone numbers, postal
codes and passwords (`LITERALS`, by a parameter's `format` or name: `literal_kind`), and street addresses
with their city and country."""

from __future__ import annotations

import ipaddress
import re

# how a text writes each kind: a link, an e-mail address, a file path, a host name, an IP address
LITERALS = {
    "url": re.compile(
        r"(?:https?|ftp|wss?|git|ssh)://[^\s'\"<>]+|git@[\w.-]+:[^\s'\"<>]+|www\.[^\s'\"<>]+"
        r"|(?<![@\w.-])(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|ai|app|edu|gov|co|uk|de|fr)\b(?:/[^\s'\"<>]*)?",
        re.IGNORECASE,
    ),
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    # a bare host name ("coolbakery.com", "api.example.org"), not one inside a link or an e-mail address
    "domain": re.compile(r"(?<![@\w./:-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?![\w-]|\.\w)", re.I),
    # an IPv4 or IPv6 address as written (`literals_in` keeps the valid ones: "12:30:45" is a time); a
    # dot or colon after it ends a sentence unless a word goes on ("IP address 203.0.113.45.")
    "ip": re.compile(r"(?<![\w.:])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})(?!\w|[.:]\w)", re.I),
    # a file path ("C:/data/cars.csv", "/tmp/a.txt", "reports/q1") or a file name with its extension
    "path": re.compile(
        r"(?<![\w/\\.:-])(?:[A-Za-z]:)?[\\/]?(?:[\w.-]+[\\/])+[\w.-]+|(?<![\w/\\.-])[\w-]{2,}\.[A-Za-z][A-Za-z0-9]{0,4}\b"
    ),
    # a password as written: a run of four characters or more holding a letter and a digit or a sign
    # ("hunter2", "Tr0ub4dor&3"), any word set as one ("my password is sunshine", "password: ..."), or quoted
    "secret": re.compile(
        r"(?<![\w@./:-])(?=[^\s'\"]*[A-Za-z])(?=[^\s'\"]*[\d!@#$%^&*])[^\s'\"?,]{4,}"
        r"|(?<=\bpassword is )[^\s'\"?,]+|(?<=\bpassword: )[^\s'\"?,]+|(?<=\bpassword )[^\s'\"?,]*\d[^\s'\"?,]*"
        r"|(?<=(?<!\w)')[^'\s][^']{2,}(?='(?!\w))|(?<=(?<!\w)\")[^\"\s][^\"]{2,}(?=\"(?!\w))",  # or quoted
        re.IGNORECASE,
    ),
    # a postal code: a US ZIP code, five digits and perhaps four more ("94103", "02139-4307"), not part
    # of a longer number, or a British or Canadian one, in capitals ("SW1A 1AA", "K1A 0B1"; a British
    # district alone: "BS8")
    "zip": re.compile(
        r"(?<![\w.,$-])\d{5}(?:-\d{4})?(?![\w%]|[.,-]\d)"
        r"|(?<![\w-])(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d|[A-Z]{2}\d{1,2}[A-Z]?)(?![\w-])"
    ),
    # a phone number as people write it ("+1 617 555 0199", "(617) 555-0199", "555-0142", "0612345678");
    # `literals_in` keeps those of 7 digits or more that are no date or IP address
    "phone": re.compile(
        r"(?<![\w+.,-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,15}(?:[ .-]\d{2,5}){0,4}(?!\w|[.,-]\d)"
    ),
}
MIN_PHONE_DIGITS = 7  # fewer is a count or a short code ("911", "300 pears"), not a number to ring
_DAY = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}")  # "2027-05-12" is no phone
# the last word of a parameter's name that says it takes a phone number (`phone`, `mobile`, `tel`)
_PHONE_NAMES = frozenset({"phone", "telephone", "mobile", "cellphone", "tel", "msisdn"})
_PHONE_WORDS = re.compile(r"\b(?:phone|telephone|mobile|cell)\s+numbers?\b", re.I)
_LITERAL_NAMES = {"url": "url", "uri": "url", "link": "url", "href": "url", "endpoint": "url", "email": "email",
                  "path": "path", "filepath": "path", "filename": "path", "domain": "domain", "hostname": "domain",
                  "ip": "ip", "ipv4": "ip", "ipv6": "ip", "host": "host", "password": "secret",
                  "passphrase": "secret", "passcode": "secret"}  # fmt: skip
_LITERAL_FORMATS = {"uri": "url", "url": "url", "iri": "url", "uri-reference": "url", "email": "email",
                    "hostname": "domain", "idn-hostname": "domain", "ipv4": "ip", "ipv6": "ip"}  # fmt: skip
_POSTAL_WORDS = re.compile(r"\bZIP\b|\bpostal\b|\bpost\s?code", re.I)
_EMAIL_WORDS = re.compile(r"\be-?mail\b", re.I)
_ADDRESSEES = frozenset({"to", "recipient", "recipients", "address", "sender", "cc", "bcc", "contact"})
_IP_WORDS = re.compile(r"\bip(?:v[46])?\b", re.I)
_HOST_LINK = re.compile(r"(?:[a-z][a-z0-9+.-]*://)?[\w.-]+(?::\d+)?/?", re.I)  # "http://plgah.ca", no path
_HOST_WORDS = re.compile(r"\bhost(?:\s*name)?s?\b|\bdomain", re.I)


def literal_kind(name: str, schema: object) -> str | None:
    """ "url", "email", "path", "domain", "ip", "host", "phone", "zip" or "secret" for a free string parameter
    that takes a link, an e-mail address, a file, a host name, an IP address, either of those two, a phone
    number, a postal code or a password (by its `format`, else the last word of its name: `url`, `image_url`,
    `baseUrl`, `dataset_path`, `domain`, `ip_address`, `host`, `phone_number`, `zip_code`, `postcode`,
    `new_password`, or a `to` its
    description calls an e-mail address), else None."""
    kind = _named_kind(name, schema)
    if kind and _examples_otherwise(kind, schema):
        return None  # "The laptop's hostname, such as LT-0423.": a code, as its examples show
    description = str(schema.get("description", "")) if isinstance(schema, dict) else ""
    if kind in ("domain", "ip") and schema.get("format") is None:
        # "Hostname or IP address to ping": a host written either way
        other = _IP_WORDS if kind == "domain" else _HOST_WORDS
        return "host" if other.search(description) else kind
    free = kind is None and plain_string(schema) and not ("pattern" in schema or "format" in schema)
    return "host" if free and _HOST_WORDS.search(description) and _IP_WORDS.search(description) else kind


def _examples_otherwise(kind: str, schema: dict) -> bool:
    """Whether a parameter named for a kind of literal (not by its `format`) lists examples of a shape
    in its description (`shapes.shaped`: codes such as "LT-0423") and none is written as that kind: the
    examples show what it takes ("e.g., 'https'" shows a part of a link, not another kind)."""
    from .shapes import shaped
    from .values import described_examples  # which reads literals with this module

    if schema.get("format") in _LITERAL_FORMATS:
        return False
    examples = described_examples(schema)
    kinds = ("domain", "ip") if kind == "host" else (kind,)
    return shaped(examples) and not any(literals_in(k, e) for e in examples for k in kinds)


def _named_kind(name: str, schema: object) -> str | None:
    """`literal_kind` by the `format`, name and description, a host not yet told from its two kinds."""
    if not plain_string(schema):
        return None
    if schema.get("format") in _LITERAL_FORMATS:
        return _LITERAL_FORMATS[schema["format"]]
    if "pattern" in schema or "format" in schema:
        return None
    words = [w.lower() for w in re.split(r"_|-|(?<=[a-z])(?=[A-Z])", name)]
    if words[-1] in ("address", "addr") and ("ip" in words or _IP_WORDS.search(str(schema.get("description", "")))):
        return "ip"  # `ip_address`, or an `address` its description calls an IP address
    if _takes_phone(words, str(schema.get("description", ""))):
        return "phone"
    if (
        words[-1] in ("zip", "zipcode", "postcode", "postalcode")
        or words[-2:] in (["zip", "code"], ["postal", "code"], ["post", "code"])
        or (words[-1] == "code" and _POSTAL_WORDS.search(str(schema.get("description", ""))))
    ):
        return "zip"  # `zip_code`, `postcode`, or a `code` its description calls postal (not "City or ZIP")
    if words[-1] in _ADDRESSEES and _EMAIL_WORDS.search(str(schema.get("description", ""))):
        return "email"  # a `to` or `recipient` its description calls an e-mail address
    return _LITERAL_NAMES.get(words[-1])


def plain_string(schema: object) -> bool:
    """Whether a parameter takes a free string: no enum."""
    return isinstance(schema, dict) and schema.get("type", "string") == "string" and "enum" not in schema


def _takes_phone(words: list[str], description: str) -> bool:
    """Whether a parameter named by `words` takes a phone number: `phone`, `mobile`, `phone_number`,
    `cell_no`, or a `to`, `number` or `recipient` its description calls a phone number."""
    if words[-1] in _PHONE_NAMES:
        return True
    if words[-1] in ("number", "no", "num") and set(words[:-1]) & (_PHONE_NAMES | {"cell", "contact"}):
        return True
    return words[-1] in ("to", "number", "recipient") and bool(_PHONE_WORDS.search(description))


# a street address as written: a number, up to four capitalised words and a street word, then the
# comma-joined parts that follow it ("2020 Addison Street, Berkeley, CA, USA", "221B Baker St, London")
_STREET = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|Square|Parkway|Highway)"
)
# ... or the street word first, as French, Italian, Spanish or Portuguese write it ("12 Rue Cler", "5 Via
# della Spiga", "10 Calle Mayor")
_STREET_FIRST = r"(?:Rue|Via|Viale|Calle|Carrer|Avenida|Rua|Piazza|Plaza|Praça|Place|Avenue|Boulevard|Strada)"
_ADDRESS = re.compile(
    rf"(?<![\w-])\d+[A-Za-z]?(?:\s+{_STREET_FIRST}(?:\s+(?:de|des|du|del|della|di|la|le|les|los|das|do|da|dos))*"
    rf"(?:\s+[A-Z][\w'-]*){{1,3}}|(?:\s+[A-Z][\w'-]*){{0,4}}\s+{_STREET}\b\.?)"
    r"(?:,\s*(?:[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}|\d{5}(?:-\d{4})?)(?![\w'-]))*"
)


def takes_address(name: str, schema: object) -> bool:
    """Whether a free string parameter takes a street address: its name or description says address
    or street, and not an e-mail, IP or web address (in words, or by its `format` or name: the
    recipient's address of a `format: email` parameter is no street), nor one a `pattern` lays out."""
    if not isinstance(schema, dict) or schema.get("type", "string") != "string" or "enum" in schema:
        return False
    if literal_kind(name, schema) or schema.get("pattern"):
        return False  # a `pattern` lays out a code, as a wallet's "0x3f5CE5...", not a street
    words = f"{name} {schema.get('description', '')}".lower()
    return bool(re.search(r"address|street", words)) and not re.search(
        r"e-?mail|\bip\b|\bmac\b|\bweb\b|url|link", words
    )


def addresses_in(text: str) -> list[str]:
    """The street addresses `text` writes, each whole with the city, region and country after it."""
    return list(dict.fromkeys(m.group(0).rstrip(".,'\"") for m in _ADDRESS.finditer(text)))


def without_addresses(text: str) -> str:
    """`text` with the street addresses it writes blanked out: their numbers are no one's value."""
    return _ADDRESS.sub(lambda m: " " * len(m.group(0)), text)


def literals_in(kind: str, text: str) -> list[str]:
    """The links, e-mail addresses, paths, host names or IP addresses (`kind`) that `text` writes,
    without the punctuation after them."""
    if kind == "host":  # a host as people write it: a name, an address, a link to it alone, or "localhost"
        links = [u for u in literals_in("url", text) if _HOST_LINK.fullmatch(u)]  # not a page's link
        local = ["localhost"] if re.search(r"\blocalhost\b", text) else []
        return list(dict.fromkeys([*links, *literals_in("domain", text), *literals_in("ip", text), *local]))
    found = dict.fromkeys(m.group(0).rstrip(".,;:!?)'\"") for m in LITERALS[kind].finditer(text))
    if kind == "phone":
        return [f for f in found if _is_phone(f)]
    return [f for f in found if kind != "ip" or _is_ip(f)]


def _is_phone(text: str) -> bool:
    """Whether a run `LITERALS["phone"]` matched is a phone number: 7 digits or more, no date, no IP."""
    return sum(c.isdigit() for c in text) >= MIN_PHONE_DIGITS and not _DAY.fullmatch(text) and not _is_ip(text)


def without_literals(kind: str, text: str) -> str:
    """`text` with the phone numbers, IP addresses or postal codes (`kind`: "phone", "ip", "host" or "zip")
    it writes blanked out: their digits are no one's number."""
    for found in literals_in("ip" if kind == "host" else kind, text):
        text = text.replace(found, " " * len(found))
    return text


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
