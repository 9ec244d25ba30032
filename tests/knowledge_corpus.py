"""A labelled corpus for retrieval tests: 36 short documents, one question each.

Each question is a paraphrase of something its document says, worded mostly without
the document's own terms, so a model that matches meanings finds it and a bag of
hashed words mostly does not. Documents are rendered as Markdown, HTML, plain text
and PDF in turn, so the corpus also exercises every parser.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CorpusDocument:
    """A document with its labelled question."""

    slug: str
    title: str
    sections: tuple[tuple[str, str], ...]  # (heading, paragraph)
    question: str


def _doc(slug: str, title: str, question: str, *sections: tuple[str, str]) -> CorpusDocument:
    return CorpusDocument(slug, title, tuple(sections), question)


CORPUS: tuple[CorpusDocument, ...] = (
    _doc(
        "honeybees",
        "Honeybee communication",
        "How do hive insects tell their sisters where nectar can be found?",
        (
            "The waggle dance",
            "A forager returning to the colony performs a waggle dance on "
            "the comb. The angle of the straight run relative to vertical encodes the direction "
            "of the flowers relative to the sun, and the duration of the waggle encodes the "
            "distance.",
        ),
        (
            "Other signals",
            "Workers also exchange food by trophallaxis and use pheromones "
            "to mark the entrance of the hive and to raise an alarm.",
        ),
    ),
    _doc(
        "sourdough",
        "Sourdough bread",
        "Why does a naturally leavened loaf taste tangy?",
        (
            "Starter",
            "A sourdough starter is a culture of wild yeast and lactobacilli kept "
            "alive by regular feeding with flour and water.",
        ),
        (
            "Flavour",
            "The bacteria produce lactic and acetic acid during the long "
            "fermentation, which gives the bread its characteristic sour flavour and helps it "
            "keep for longer than bread made with commercial yeast.",
        ),
    ),
    _doc(
        "coral-bleaching",
        "Coral bleaching on the Great Barrier Reef",
        "What happens to reef organisms when the ocean gets too hot?",
        (
            "Symbiosis",
            "Reef-building corals host microscopic algae called zooxanthellae in "
            "their tissues; the algae photosynthesise and feed the coral.",
        ),
        (
            "Heat stress",
            "When water temperatures stay a degree or two above the summer "
            "maximum for weeks, corals expel the algae and turn white. Bleached corals can "
            "recover if temperatures drop, but prolonged bleaching kills them.",
        ),
    ),
    _doc(
        "photosynthesis",
        "Photosynthesis",
        "How do green plants turn sunlight into sugar?",
        (
            "Light reactions",
            "In the chloroplasts, chlorophyll absorbs light energy and uses "
            "it to split water, releasing oxygen and producing ATP and NADPH.",
        ),
        (
            "Calvin cycle",
            "The Calvin cycle then fixes carbon dioxide from the air into "
            "glucose using that chemical energy.",
        ),
    ),
    _doc(
        "aqueducts",
        "Roman aqueducts",
        "How did ancient engineers move water into cities without pumps?",
        (
            "Gravity",
            "Roman aqueducts carried water from distant springs to cities purely by "
            "gravity, along channels with a very gentle, constant downward gradient, sometimes "
            "only a few centimetres per hundred metres.",
        ),
        (
            "Bridges",
            "Where valleys interrupted the route, arcaded bridges such as the Pont "
            "du Gard kept the channel level; elsewhere it ran underground.",
        ),
    ),
    _doc(
        "sicilian-defence",
        "The Sicilian Defence",
        "What is a popular asymmetrical answer for Black when White starts by advancing "
        "the e-pawn two squares?",
        (
            "Moves",
            "The Sicilian Defence begins 1.e4 c5. Black fights for the d4 square from "
            "the side instead of mirroring White's centre pawn.",
        ),
        (
            "Character",
            "It leads to unbalanced positions and is the most popular and "
            "best-scoring response to 1.e4 at master level, with variations such as the "
            "Najdorf and the Dragon.",
        ),
    ),
    _doc(
        "shield-volcanoes",
        "Shield volcanoes",
        "Why do some Hawaiian mountains have such broad, gently sloping sides?",
        (
            "Lava",
            "Shield volcanoes are built almost entirely from fluid basaltic lava flows "
            "with low viscosity, which travel far before cooling.",
        ),
        (
            "Shape",
            "Layer upon layer of these runny flows produces a wide profile like a "
            "warrior's shield lying on the ground. Mauna Loa and Kilauea are classic examples.",
        ),
    ),
    _doc(
        "bebop",
        "Bebop",
        "Which fast, harmonically complex musical style emerged in New York after the swing era?",
        (
            "Origins",
            "Bebop developed in the early and mid 1940s in clubs such as Minton's "
            "Playhouse, led by Charlie Parker, Dizzy Gillespie and Thelonious Monk.",
        ),
        (
            "Style",
            "It featured fast tempos, intricate melodies, advanced chord "
            "substitutions and virtuosic improvisation, aimed at listening rather than "
            "dancing.",
        ),
    ),
    _doc(
        "bitcoin-difficulty",
        "Bitcoin mining difficulty",
        "How often does the cryptocurrency network recalibrate how hard mining is?",
        (
            "Proof of work",
            "Miners repeatedly hash block headers until they find one below "
            "a target value; the target determines the difficulty.",
        ),
        (
            "Adjustment",
            "Every 2016 blocks, roughly every two weeks, the protocol retargets "
            "the difficulty so that blocks keep arriving about every ten minutes regardless of "
            "total hash power.",
        ),
    ),
    _doc(
        "mrna-vaccines",
        "mRNA vaccines",
        "How do the new genetic-code shots teach the body to recognise the coronavirus?",
        (
            "Mechanism",
            "An mRNA vaccine delivers messenger RNA wrapped in lipid "
            "nanoparticles. Cells read the instructions and briefly produce the spike protein "
            "of SARS-CoV-2.",
        ),
        (
            "Immunity",
            "The immune system learns to recognise the spike protein and makes "
            "antibodies and memory cells; the mRNA itself is broken down within days.",
        ),
    ),
    _doc(
        "tea-processing",
        "How tea is processed",
        "What makes a dark brew from Assam leaves different from a Japanese sencha?",
        (
            "Oxidation",
            "All true tea comes from Camellia sinensis. Green tea is heated soon "
            "after picking to stop oxidation, so it stays green and grassy.",
        ),
        (
            "Black and oolong",
            "Black tea is rolled and fully oxidised, turning the leaves "
            "dark and the flavour malty; oolong is only partially oxidised.",
        ),
    ),
    _doc(
        "marathon-distance",
        "The marathon distance",
        "Why is the long-distance footrace exactly that odd number of kilometres?",
        (
            "Legend",
            "The race commemorates the messenger Pheidippides, who ran from Marathon to Athens.",
        ),
        (
            "42.195 km",
            "The distance was fixed at 42.195 kilometres after the 1908 London "
            "Olympics, where the course was laid out from Windsor Castle so that it finished "
            "in front of the royal box in the stadium.",
        ),
    ),
    _doc(
        "fresnel-lens",
        "The Fresnel lens",
        "What invention let coastal beacons project light much farther with thinner glass?",
        (
            "Design",
            "Augustin-Jean Fresnel designed a lens in 1822 made of concentric rings "
            "of prisms, removing the bulk of a conventional lens while keeping its focusing "
            "power.",
        ),
        (
            "Lighthouses",
            "Lighthouses adopted it widely because it concentrated the lamp "
            "into a beam visible for more than twenty nautical miles.",
        ),
    ),
    _doc(
        "monarch-migration",
        "Monarch butterfly migration",
        "Where do the orange-and-black insects from North America spend the winter?",
        (
            "Journey",
            "Each autumn, eastern monarch butterflies fly up to 4,000 kilometres "
            "from Canada and the United States to central Mexico.",
        ),
        (
            "Wintering",
            "They cluster by the millions in oyamel fir forests in the mountains "
            "of Michoacán. The return trip north takes several generations.",
        ),
    ),
    _doc(
        "penicillin",
        "Discovery of penicillin",
        "Who noticed a fungus contaminating a petri dish was destroying bacteria?",
        (
            "1928",
            "Alexander Fleming returned from holiday in 1928 to find that a mould, "
            "Penicillium notatum, had killed the Staphylococcus colonies around it.",
        ),
        (
            "Mass production",
            "Howard Florey and Ernst Chain later purified the compound, "
            "and mass production during the Second World War made it the first widely used "
            "antibiotic.",
        ),
    ),
    _doc(
        "tides",
        "What causes tides",
        "Why is the sea's rise and fall strongest around the full moon?",
        (
            "Gravity",
            "Tides are caused mainly by the Moon's gravity pulling on the oceans, "
            "with a smaller contribution from the Sun.",
        ),
        (
            "Spring and neap",
            "When Sun, Moon and Earth line up, at new and full moon, their "
            "pulls add together and produce spring tides with the largest range; at quarter "
            "moons they partly cancel, giving neap tides.",
        ),
    ),
    _doc(
        "espresso",
        "Pulling an espresso",
        "How much force and time does a proper Italian coffee shot need?",
        (
            "Extraction",
            "Espresso is made by forcing hot water at about 9 bar of pressure "
            "through finely ground, tamped coffee.",
        ),
        (
            "Timing",
            "A standard double shot extracts in 25 to 30 seconds and is topped by a "
            "layer of reddish-brown crema.",
        ),
    ),
    _doc(
        "tcp-handshake",
        "The TCP three-way handshake",
        "What three packets open a reliable internet connection?",
        (
            "Steps",
            "A client sends a SYN segment with its initial sequence number; the "
            "server answers with SYN-ACK; the client confirms with an ACK.",
        ),
        (
            "Purpose",
            "The exchange synchronises sequence numbers in both directions before "
            "any application data is sent.",
        ),
    ),
    _doc(
        "everest",
        "Mount Everest",
        "Who first stood on top of the world's highest peak?",
        ("Height", "Mount Everest, on the border of Nepal and Tibet, is 8,849 metres high."),
        (
            "First ascent",
            "Edmund Hillary of New Zealand and the Sherpa Tenzing Norgay "
            "reached the summit on 29 May 1953 with a British expedition.",
        ),
    ),
    _doc(
        "senbazuru",
        "Senbazuru",
        "What Japanese custom says folding a thousand paper birds grants a wish?",
        (
            "Tradition",
            "Senbazuru is a group of one thousand origami cranes held together "
            "by strings. Legend promises that anyone who folds them will be granted a wish.",
        ),
        (
            "Sadako",
            "The custom became a symbol of peace through Sadako Sasaki, a girl "
            "from Hiroshima who folded cranes while ill with leukaemia.",
        ),
    ),
    _doc(
        "composting",
        "Home composting",
        "How should I balance kitchen scraps and dry leaves in my garden heap?",
        (
            "Ratio",
            "A healthy compost pile mixes brown, carbon-rich material such as dry "
            "leaves and cardboard with green, nitrogen-rich material such as vegetable peelings, "
            "aiming for roughly thirty parts carbon to one part nitrogen.",
        ),
        (
            "Air and water",
            "Turning the pile adds oxygen for aerobic microbes, and it should "
            "stay about as damp as a wrung-out sponge.",
        ),
    ),
    _doc(
        "python-gil",
        "The global interpreter lock",
        "Why don't CPU-heavy threads speed up in the popular scripting language's "
        "standard interpreter?",
        (
            "Lock",
            "CPython's global interpreter lock (GIL) lets only one thread execute "
            "Python bytecode at a time, which simplifies memory management.",
        ),
        (
            "Consequences",
            "Threads still help with waiting on input and output, but "
            "compute-bound work needs multiprocessing or native extensions to use several "
            "cores.",
        ),
    ),
    _doc(
        "great-wall",
        "The Great Wall of China",
        "How long is the ancient Chinese border fortification in total?",
        (
            "Construction",
            "Walls were built and rebuilt from the seventh century BC "
            "onwards; most of what stands today is brick and stone from the Ming dynasty.",
        ),
        ("Length", "A 2012 survey measured all branches at about 21,196 kilometres."),
    ),
    _doc(
        "aurora",
        "The aurora borealis",
        "What causes the coloured lights dancing in polar skies?",
        (
            "Particles",
            "Charged particles of the solar wind are channelled by Earth's "
            "magnetic field towards the poles and collide with oxygen and nitrogen in the upper "
            "atmosphere.",
        ),
        (
            "Colours",
            "Excited oxygen emits the common green glow and, higher up, red; "
            "nitrogen adds blue and purple tints.",
        ),
    ),
    _doc(
        "saffron",
        "Saffron",
        "Why does the world's priciest seasoning cost so much?",
        (
            "Harvest",
            "Saffron is the dried stigmas of Crocus sativus. Each flower has only "
            "three, and they must be picked by hand in a short autumn season.",
        ),
        (
            "Price",
            "About 150,000 flowers are needed for one kilogram, so the spice can cost "
            "thousands of euros per kilogram.",
        ),
    ),
    _doc(
        "event-horizon",
        "Black holes and the event horizon",
        "What is the boundary beyond which nothing, not even light, can get out of a "
        "collapsed star?",
        (
            "Event horizon",
            "A black hole's event horizon is the surface where the escape "
            "velocity equals the speed of light; its radius is the Schwarzschild radius.",
        ),
        (
            "Formation",
            "Stellar black holes form when the core of a massive star collapses "
            "at the end of its life.",
        ),
    ),
    _doc(
        "sleep-cycles",
        "Sleep cycles",
        "How long does one round of the night's rest stages last, and when do vivid dreams happen?",
        (
            "Stages",
            "Sleep alternates between non-REM stages and REM sleep in cycles of "
            "roughly 90 minutes, four to six times a night.",
        ),
        (
            "REM",
            "Most vivid dreaming occurs during rapid eye movement sleep, which grows "
            "longer in the later cycles towards morning.",
        ),
    ),
    _doc(
        "cheesemaking",
        "Making cheese",
        "What enzyme makes milk separate into solids and liquid when making cheddar?",
        (
            "Coagulation",
            "Cheesemakers add rennet, whose enzyme chymosin coagulates the "
            "casein in milk, separating it into curds and whey.",
        ),
        (
            "Cheddaring",
            "For cheddar, the curd is cut, stacked and turned repeatedly to "
            "expel whey before it is milled, salted and pressed.",
        ),
    ),
    _doc(
        "solar-panels",
        "How solar panels work",
        "How do rooftop modules convert daylight into electricity?",
        (
            "Photovoltaic effect",
            "Photovoltaic cells are made of doped silicon layers. "
            "Photons knock electrons loose, and the electric field at the p-n junction drives "
            "them as a current.",
        ),
        (
            "Inverters",
            "An inverter converts the panels' direct current into alternating "
            "current for the home and the grid.",
        ),
    ),
    _doc(
        "gutenberg",
        "Gutenberg's printing press",
        "Which goldsmith from Mainz revolutionised book production in the fifteenth century?",
        (
            "Invention",
            "Around 1440 Johannes Gutenberg combined movable metal type cast in "
            "a hand mould, oil-based ink and a screw press adapted from wine presses.",
        ),
        (
            "Bible",
            "His 42-line Bible, finished around 1455, showed that books could be "
            "produced quickly and in quantity.",
        ),
    ),
    _doc(
        "octopus",
        "Octopus anatomy",
        "Which eight-armed sea creature has more than one heart and blue blood?",
        (
            "Circulation",
            "An octopus has three hearts: two pump blood through the gills "
            "and one through the body. Its blood is blue because it uses copper-based "
            "hemocyanin to carry oxygen.",
        ),
        (
            "Camouflage",
            "Chromatophores in the skin let it change colour and pattern in a "
            "fraction of a second.",
        ),
    ),
    _doc(
        "kimchi",
        "Kimchi",
        "How is Korea's spicy fermented vegetable side dish made?",
        (
            "Preparation",
            "Napa cabbage is salted, rinsed and rubbed with a paste of "
            "gochugaru chilli flakes, garlic, ginger, fish sauce and scallions.",
        ),
        (
            "Fermentation",
            "Lactic acid bacteria ferment it for days to weeks. Families "
            "traditionally make large batches together in late autumn, a custom called "
            "kimjang.",
        ),
    ),
    _doc(
        "ev-batteries",
        "Caring for an electric car battery",
        "How can I make my EV's pack last longer?",
        (
            "Degradation",
            "Lithium-ion traction batteries slowly lose capacity with age and "
            "charge cycles; most carmakers warrant them for eight years.",
        ),
        (
            "Habits",
            "Keeping the daily charge between about 20 and 80 percent, avoiding "
            "frequent DC fast charging and not leaving the car full in hot weather slow the "
            "wear.",
        ),
    ),
    _doc(
        "tsunami",
        "Tsunamis",
        "How fast can giant sea waves caused by seafloor quakes travel across open water?",
        (
            "Cause",
            "Most tsunamis are caused by undersea earthquakes that suddenly lift or "
            "drop the seabed and displace the water column above it.",
        ),
        (
            "Speed",
            "In the deep ocean a tsunami can travel at 800 kilometres per hour, as "
            "fast as a jet airliner, with a height of less than a metre; it slows and grows "
            "near the coast.",
        ),
    ),
    _doc(
        "impressionism",
        "Impressionism",
        "Which 19th-century French art movement got its name from a harbour painting at dawn?",
        (
            "Name",
            "The movement was named after Claude Monet's 'Impression, Sunrise' of "
            "1872, which shows the port of Le Havre; a critic used the title to mock the "
            "exhibition.",
        ),
        (
            "Technique",
            "The painters worked outdoors, en plein air, with visible brush "
            "strokes to capture changing light.",
        ),
    ),
    _doc(
        "continental-drift",
        "Continental drift",
        "Who first proposed that the continents were once joined in one supercontinent?",
        (
            "Wegener",
            "In 1912 Alfred Wegener proposed that the continents had once formed a "
            "single landmass, Pangaea, and had since drifted apart.",
        ),
        (
            "Plate tectonics",
            "His idea was accepted only in the 1960s, when seafloor "
            "spreading explained the mechanism as plate tectonics.",
        ),
    ),
)


def render(document: CorpusDocument, index: int) -> tuple[str, bytes]:
    """The document as a file: Markdown, HTML, text and PDF in turn."""
    kind = index % 4
    if kind == 0:
        body = "\n\n".join(f"## {h}\n\n{p}" for h, p in document.sections)
        return f"{document.slug}.md", f"# {document.title}\n\n{body}\n".encode()
    if kind == 1:
        body = "".join(f"<h2>{h}</h2><p>{p}</p>" for h, p in document.sections)
        html = (
            f"<html><head><title>{document.title}</title><style>p {{color: red}}</style>"
            f"</head><body><nav>Home | About</nav><h1>{document.title}</h1>{body}</body></html>"
        )
        return f"{document.slug}.html", html.encode()
    if kind == 2:
        body = "\n\n".join(p for _, p in document.sections)
        return f"{document.slug}.txt", f"{document.title}\n\n{body}\n".encode()
    lines = [document.title, ""] + [p for _, p in document.sections]
    return f"{document.slug}.pdf", simple_pdf(lines, title=document.title)


def _wrap(text: str, width: int = 90) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines or [""]


def simple_pdf(paragraphs: list[str], *, title: str | None = None) -> bytes:
    """A minimal, valid one-page PDF with Helvetica text (enough for pypdf to read)."""

    def escape(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(_wrap(paragraph))
    text = " T* ".join(f"({escape(line)}) Tj" for line in lines)
    stream = f"BT /F1 10 Tf 14 TL 50 780 Td {text} ET".encode("latin-1", "replace")
    info = f"<< /Title ({escape(title)}) >>" if title else "<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        info.encode("latin-1", "replace"),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
