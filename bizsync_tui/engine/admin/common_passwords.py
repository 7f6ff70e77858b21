"""The commonest passwords of 8 characters or more, refused for mobile users.

A short bundled list (no download): the top of the public "most used
passwords" rankings in English and French, plus simple keyboard and digit
runs. Compared without case and without surrounding spaces.
"""

from __future__ import annotations

COMMON_PASSWORDS = frozenset("""
password password1 password12 password123 password1234 passw0rd p@ssw0rd p@ssword pa$$word
12345678 123456789 1234567890 12345678910 0123456789 987654321 9876543210 87654321
11111111 111111111 1111111111 00000000 000000000 0000000000 22222222 88888888 99999999
12341234 11223344 12121212 13131313 123123123 123456123 112233445 01234567 147258369 123654789
qwertyui qwertyuiop qwerty12 qwerty123 qwerty1234 1qaz2wsx 1q2w3e4r 1q2w3e4r5t zaq12wsx qazwsxedc
azertyui azertyuiop azerty12 azerty123 azerty1234 aqwzsxedc
abcd1234 abc12345 abc123456 abcdefgh abcdefg1 a1b2c3d4 aa123456 asdfghjk asdfghjkl asdf1234
iloveyou iloveyou1 sunshine sunshine1 princess princess1 football football1 baseball
superman batman123 trustno1 welcome1 welcome123 letmein1 letmein123 whatever
starwars computer internet michelle jennifer jordan23 charlie1 shadow12 master12 monkey12
dragon12 mustang1 liverpool chelsea1 arsenal1 iloveu12 lovelove loveyou1 babygirl
changeme changeme1 default1 administrator admin123 admin1234 adminadmin root1234 secret12
motdepasse motdepasse1 motdepasse123 soleil123 bonjour1 bonjour123 doudou12 chouchou
marseille loulou12 jetaime1 jetaime123 nicolas1 camille1 chocolat 
""".split())


def is_common(password: str) -> bool:
    """True for a listed password, or one character repeated (aaaaaaaa)."""
    text = (password or "").strip().lower()
    return text in COMMON_PASSWORDS or (len(set(text)) == 1 and len(text) > 0)
