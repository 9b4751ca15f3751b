"""Draw the stretch coach's stick-figure illustrations into assets/illustrations/.

Plain SVG, drawn from joint coordinates below (our own drawings; nothing copied). Nobody needs
to run this to build slouchwatch: the SVG files are committed. Run: python3 scripts/draw_illustrations.py
"""

from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "assets" / "illustrations"
INK = "#2b3a4a"
ACCENT = "#d9822b"
PROP = "#9aa7b4"


def svg(parts, title):
    body = "\n  ".join(parts)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200">\n'
        f"  <title>{title}</title>\n"
        '  <rect width="200" height="200" fill="#f7f5f0"/>\n'
        f"  {body}\n</svg>\n"
    )


def line(a, b, color=INK, width=6):
    return (f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}" stroke="{color}" '
            f'stroke-width="{width}" stroke-linecap="round"/>')


def poly(points, color=INK, width=6):
    pts = " ".join(f"{x},{y}" for x, y in points)
    return (f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="{width}" '
            'stroke-linecap="round" stroke-linejoin="round"/>')


def head(c, r=13):
    return f'<circle cx="{c[0]}" cy="{c[1]}" r="{r}" fill="none" stroke="{INK}" stroke-width="5"/>'


def arrow(a, b):
    return line(a, b, ACCENT, 4) + f'<circle cx="{b[0]}" cy="{b[1]}" r="5" fill="{ACCENT}"/>'


def chair():
    return [poly([(60, 120), (60, 178)], PROP, 5), poly([(60, 132), (112, 132), (112, 178)], PROP, 5)]


def seated(head_c=(96, 44), neck=(96, 62), hip=(96, 130), arms=None, extra=()):
    parts = chair() + [head(head_c), line(neck, hip)]
    parts += arms or [poly([(96, 72), (120, 100), (128, 126)]), poly([(96, 72), (112, 104), (124, 128)])]
    parts += [poly([hip, (140, 132), (140, 176)]), poly([hip, (136, 136), (136, 176)])]
    return parts + list(extra)


def standing(head_c=(100, 36), neck=(100, 54), hip=(100, 122), arms=None, extra=()):
    parts = [head(head_c), line(neck, hip)]
    parts += arms or [poly([(100, 64), (86, 96), (84, 124)]), poly([(100, 64), (114, 96), (116, 124)])]
    parts += [poly([hip, (hip[0] - 10, hip[1] + 34), (hip[0] - 10, 188)]),
              poly([hip, (hip[0] + 10, hip[1] + 34), (hip[0] + 10, 188)])]
    return parts + list(extra)


def all_fours(head_c=(48, 92), spine=((60, 104), (140, 104)), extra=(), arm=None, leg=None):
    parts = [line((10, 176), (190, 176), PROP, 4), head(head_c), poly(list(spine))]
    parts.append(arm or line((64, 106), (64, 174)))
    parts.append(leg or poly([(140, 104), (140, 174), (170, 174)]))
    return parts + list(extra)


DRAWINGS = {
    "chin-tuck": ("Chin tuck", seated(extra=[arrow((118, 44), (100, 44))])),
    "doorway-chest-stretch": ("Doorway chest stretch", [
        poly([(40, 190), (40, 20), (160, 20), (160, 190)], PROP, 8),
        head((100, 50)), line((100, 68), (104, 130)),
        poly([(100, 78), (58, 78), (46, 52)]), poly([(100, 78), (142, 78), (154, 52)]),
        poly([(104, 130), (92, 160), (92, 190)]), poly([(104, 130), (124, 160), (128, 190)]),
        arrow((100, 100), (100, 118)),
    ]),
    "seated-spinal-twist": ("Seated spinal twist", seated(
        arms=[poly([(96, 72), (70, 90), (62, 120)]), poly([(96, 72), (122, 82), (140, 92)])],
        extra=[arrow((120, 40), (80, 30))])),
    "seated-cat-cow": ("Seated cat-cow", seated(
        head_c=(112, 56), neck=(104, 70),
        extra=['<path d="M104 70 Q 80 95 96 130" fill="none" stroke="#2b3a4a" stroke-width="6"/>',
               arrow((70, 80), (60, 96))])),
    "cat-cow": ("Cat-cow", all_fours(
        spine=((60, 104), (100, 80), (140, 104)), extra=[arrow((100, 60), (100, 46))])),
    "thread-the-needle": ("Thread the needle", [
        line((10, 176), (190, 176), PROP, 4), head((60, 160)), poly([(74, 150), (140, 110)]),
        poly([(80, 146), (120, 170), (160, 172)]), line((96, 138), (96, 174)),
        poly([(140, 110), (140, 174), (170, 174)]), arrow((150, 150), (180, 160)),
    ]),
    "upper-trap-stretch": ("Upper-trap stretch", seated(
        head_c=(112, 50), neck=(100, 64),
        arms=[poly([(96, 72), (74, 100), (66, 134)]), poly([(96, 72), (124, 60), (120, 42)])],
        extra=[arrow((130, 70), (138, 84))])),
    "shoulder-rolls": ("Shoulder rolls", standing(
        extra=['<circle cx="100" cy="64" r="22" fill="none" stroke="#d9822b" stroke-width="4" stroke-dasharray="8 6"/>'])),
    "wall-angels": ("Wall angels", [
        line((40, 10), (40, 190), PROP, 8)] + standing(
        head_c=(60, 40), neck=(58, 58), hip=(56, 122),
        arms=[poly([(58, 68), (86, 68), (86, 36)]), poly([(58, 68), (30, 68)], INK, 0)],
        extra=[arrow((100, 60), (100, 26))])),
    "bird-dog": ("Bird-dog", all_fours(
        arm=poly([(64, 106), (20, 96)]), leg=poly([(140, 104), (186, 98)]),
        extra=[line((70, 106), (70, 174)), poly([(136, 104), (130, 174), (160, 174)])])),
    "tennis-ball-massage": ("Tennis-ball self-massage", [
        line((150, 10), (150, 190), PROP, 8),
        f'<circle cx="140" cy="80" r="8" fill="{ACCENT}"/>'] + standing(
        head_c=(124, 36), neck=(126, 54), hip=(124, 122), extra=[arrow((90, 90), (90, 70))])),
    "heat": ("Moist heat", seated(extra=[
        f'<rect x="70" y="60" width="44" height="22" rx="8" fill="{ACCENT}" opacity="0.8"/>',
        '<path d="M80 52 q4 -8 0 -16 M92 52 q4 -8 0 -16 M104 52 q4 -8 0 -16" fill="none" stroke="#d9822b" stroke-width="3"/>'])),
    "posture-check": ("Posture check", seated(extra=[
        line((96, 20), (96, 134), ACCENT, 2)])),
    "strengthening-routine": ("Strengthening routine", [
        line((20, 10), (20, 100), PROP, 6), head((40, 30), 9), line((38, 42), (38, 86)),
        poly([(38, 50), (56, 50), (56, 30)]), poly([(38, 86), (34, 100)]), poly([(38, 86), (44, 100)]),
        line((100, 176), (190, 176), PROP, 4), head((118, 130), 9), poly([(128, 138), (170, 138)]),
        poly([(130, 140), (104, 134)]), poly([(170, 138), (196, 132)]), line((170, 138), (170, 174)),
    ]),
    "walk": ("Stand up and walk", [
        head((100, 36)), line((100, 54), (96, 122)),
        poly([(100, 64), (80, 92), (72, 116)]), poly([(100, 64), (118, 90), (128, 110)]),
        poly([(96, 122), (78, 154), (70, 186)]), poly([(96, 122), (116, 152), (126, 186)]),
        arrow((140, 150), (180, 150)),
    ]),
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (title, parts) in DRAWINGS.items():
        (OUT / f"{name}.svg").write_text(svg(parts, title))
    print(f"wrote {len(DRAWINGS)} illustrations to {OUT}")


if __name__ == "__main__":
    main()
