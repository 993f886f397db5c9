#!/usr/bin/env python3
"""Writes a people CSV as an HR system would: semicolons, German headers, managers by e-mail.

Usage: gen-people-csv.py ROWS FILE
A pyramid: row n reports to row (n-1)//8, levels follow the depth, units by subtree.
Deterministic: the same ROWS give the same file.
"""
import sys

GIVEN = ["Anna", "Jörg", "Sören", "Björn", "Jürgen", "Käthe", "Günther", "Mareike", "Özlem", "Tobias",
         "Lena", "Malte", "Hannah", "Dörte", "Felix", "Sophie", "Timo", "Franziska", "Ümit", "Lukas"]
FAMILY = ["Müller", "Groß", "Schäfer", "Köhler", "Weiß", "Hoffmann", "Bäcker", "Jäger", "Schröder",
          "Krämer", "Günther", "Böhm", "Lößner", "Brückner", "Vogt", "Fuchs", "Möller", "Haußmann"]
LEVELS = ["Geschäftsführung", "Bereichsleitung", "Abteilungsleitung", "Teamleitung", "Sachbearbeitung"]


def depth(n):
    d = 0
    while n > 0:
        n = (n - 1) // 8
        d += 1
    return d


def main(rows, path):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("Personalnummer;Vorname;Nachname;Position;Ebene;Abteilung;Vorgesetzte(r);E-Mail;Telefon\r\n")
        for n in range(rows):
            d = depth(n)
            manager = "" if n == 0 else f"p{(n - 1) // 8}@bench.example"
            # Units: the subtree under each level-3 person.
            m = n
            while depth(m) > 2:
                m = (m - 1) // 8
            unit = f"Abteilung {m}"
            level = LEVELS[min(d, 4)]
            given, family = GIVEN[n % len(GIVEN)], FAMILY[(n * 7) % len(FAMILY)]
            f.write(f"P{n:07d};{given};{family};{level} {n % 97};{level};{unit};{manager};p{n}@bench.example;+49 221 {n:07d}\r\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
