#!/usr/bin/env python3
"""Generate the synthetic CX survey demo data set shipped with cxmetrics.

Purpose
-------
``python/cxmetrics/data/demo_responses.csv`` is a fully synthetic, seeded data
set: 12 months (2025-01-01 .. 2025-12-31) of customer-experience survey
responses of a fictional omnichannel retailer. It exists so that examples,
tutorials, doctests and notebooks can show NPS / CSAT / CES analyses (plain and
weighted indicators, confidence intervals, breakdowns by touchpoint, channel
and month, alarms, driver analysis, text snippets) on data that *has* something
to find. No real person or company is represented.

Reproducibility
---------------
* Seed: ``SEED = 20251231``, one ``random.Random(SEED)`` stream for everything.
* Only the Python standard library is used (``random``, ``csv``, ``datetime``,
  ``bisect``, ``calendar``, ``math``, ``pathlib``). No numpy.
* Only ``Random.random()`` is ever called; normal noise is the Irwin-Hall
  approximation (sum of 12 uniforms - 6) and every probability is computed with
  ``+ - * /`` and ``floor`` only, never ``exp``/``log``/``cos``. Those IEEE-754
  operations are correctly rounded everywhere, so the output is byte-identical
  across machines, operating systems and Python 3 versions.
* Output: UTF-8, comma-separated, one header row, ``\\n`` line endings,
  minimal quoting (``csv.QUOTE_MINIMAL``); blank cell = missing value.

Regenerate with (from the repository root)::

    python scripts/make_demo_data.py            # writes the default path
    python scripts/make_demo_data.py OUT.csv    # or somewhere else
    sha256sum python/cxmetrics/data/demo_responses.csv   # same hash every run

Columns (in this order)
-----------------------
response_id           ``R000001`` ..; numbered in chronological order.
respondent_id         ``C00001`` ..; 3,500 distinct customers, each answers
                      1..n times (6,000 responses; VIPs answer more often).
recorded_at           RFC 3339 UTC timestamp, e.g. ``2025-03-14T10:22:05Z``;
                      hour of day follows the channel (stores 9-21h, ...).
touchpoint            web_visit, online_purchase, store_visit, contact_center,
                      support_request, complaint, delivery,
                      post_sale_follow_up, social_media (unequal frequencies,
                      complaint rarest; delivery / online_purchase volume
                      grows in November-December).
channel               web, app, store, contact_center, email, chat, social,
                      delivery; consistent with the touchpoint
                      (store_visit -> store; online_purchase -> web|app;
                      support_request -> chat|email|contact_center;
                      complaint -> contact_center|email|chat|social;
                      post_sale_follow_up -> email|app|contact_center;
                      social_media -> social; delivery -> delivery).
journey_stage         discovery, purchase, delivery, usage, support,
                      complaint, post_sale; consistent with the touchpoint.
intentional           ``true``/``false``: did the customer deliberately seek
                      the contact? false for social_media, complaint and
                      company-initiated post_sale_follow_up, mixed for
                      web_visit and store_visit, true otherwise.
segment               new | regular | vip (fixed per customer).
region                north | south | east | west | centre (fixed per customer).
weight                post-stratification weight of the segment x region cell
                      (population share / sample share of responses), clipped
                      to [0.40, 3.00], 2 decimals (realised range about
                      0.48-1.68, sum about 6,000). VIPs are over-represented
                      in the sample, so they get weights < 1.
nps                   likelihood to recommend, integer 0-10; ~2 % blank.
csat                  satisfaction, integer 1-5; ~3 % blank.
ces                   customer effort, integer 1-7 (7 = very easy); blank for
                      social_media (not asked there) plus a few random blanks,
                      ~5 % blank overall.
repurchase_intention  integer 1-5; ~3 % blank.
repeat_purchase_90d   0/1 observed outcome: the customer bought again within
                      90 days of the response (never missing).
language              es | en (per customer, ~60 % es).
comment               short free text in ``language``; blank for ~40 % of rows
                      (detractors comment more often). Built from phrase
                      fragments that match the touchpoint and the sentiment;
                      some Spanish comments are typed without accents
                      ("atencion", "llego") as real users do.

Generative model
----------------
Each customer has a latent effect ``c = segment + region + 0.45 * N(0,1)``.
Each response has an experience term
``e = touchpoint_mean + month_shift(touchpoint, month) + sd(touchpoint) * N(0,1)``
and a latent satisfaction ``L = c + e``. ``nps``, ``csat``,
``repurchase_intention`` are noisy, rounded, clipped linear functions of ``L``
(correlated, not identical); ``ces`` depends mostly on ``e`` (plus a
touchpoint-specific effort offset); ``repeat_purchase_90d`` is Bernoulli with a
clipped linear probability in ``c + w(touchpoint) * e``.

Planted signals (intended discoveries)
--------------------------------------
1. Overall NPS is moderately positive: about +24 unweighted, about +21
   weighted.
2. Touchpoints: store_visit and post_sale_follow_up score highest; complaint
   is by far the lowest (about -60); delivery (about 0 over the year) and
   contact_center (about +10) are below average.
3. Alarm: delivery NPS hovers around +20 January-October and drops sharply
   in November (about -20) and December 2025 (about -45): peak season, Black
   Friday / Christmas, late deliveries; delivery volume also grows then.
   Contact-center NPS drops in December too (a smaller shift). Comments
   about late delivery ("la entrega llegó tarde", "late delivery") spike then.
4. Segments: vip > regular > new. Because VIPs are over-represented and
   receive weights < 1, weighted NPS / CSAT are a little lower than unweighted.
5. Drivers: delivery and contact_center experiences vary the most (largest
   ``sd``) and weigh the most on ``repeat_purchase_90d`` (largest ``w``), so a
   driver / importance analysis ranks them first. The repeat rate is about
   70 % for promoters and about 30 % for detractors.
6. CES is lowest (hardest) at contact_center, support_request and complaint;
   effort correlates with satisfaction but less than csat does.
7. Comment sentiment and topics follow the scores (waiting time, refund,
   rude staff for detractors; friendly, fast, easy checkout for promoters).
"""

from __future__ import annotations

import bisect
import calendar
import csv
import datetime as dt
import math
import random
import sys
from pathlib import Path

SEED = 20251231
N_CUSTOMERS = 3500
N_RESPONSES = 6000
YEAR = 2025

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "python" / "cxmetrics" / "data" / "demo_responses.csv"

COLUMNS = [
    "response_id", "respondent_id", "recorded_at", "touchpoint", "channel",
    "journey_stage", "intentional", "segment", "region", "weight", "nps",
    "csat", "ces", "repurchase_intention", "repeat_purchase_90d", "language",
    "comment",
]

# --------------------------------------------------------------------------
# Population / design parameters
# --------------------------------------------------------------------------
SEGMENTS = ["new", "regular", "vip"]
SEGMENT_SAMPLE = [0.45, 0.40, 0.15]          # share among surveyed customers
SEGMENT_POP = [0.50, 0.37, 0.13]             # share in the customer base
SEGMENT_EFFECT = {"new": -0.15, "regular": 0.05, "vip": 0.45}
SEGMENT_ACTIVITY = {"new": 0.8, "regular": 1.2, "vip": 2.2}  # repeat answering

REGIONS = ["north", "south", "east", "west", "centre"]
REGION_SAMPLE = [0.20, 0.18, 0.17, 0.22, 0.23]
REGION_POP = [0.22, 0.24, 0.16, 0.18, 0.20]
REGION_EFFECT = {"north": 0.05, "south": -0.08, "east": 0.0, "west": 0.08,
                 "centre": -0.03}

MONTH_VOLUME = [1.00, 0.90, 0.95, 0.95, 1.00, 0.95, 0.90, 0.85, 1.00, 1.05,
                1.35, 1.45]
MONTH_GENERAL = [-0.05, 0.0, 0.0, 0.03, 0.05, 0.05, 0.05, 0.0, 0.0, 0.0,
                 -0.05, -0.05]

TOUCHPOINTS = ["web_visit", "online_purchase", "store_visit", "contact_center",
               "support_request", "complaint", "delivery",
               "post_sale_follow_up", "social_media"]
TP_FREQ = {"web_visit": 18, "online_purchase": 16, "store_visit": 16,
           "contact_center": 10, "support_request": 9, "complaint": 3,
           "delivery": 15, "post_sale_follow_up": 8, "social_media": 5}
TP_PEAK_MULT = {"online_purchase": 1.4, "delivery": 1.7, "contact_center": 1.2,
                "complaint": 1.3}            # November-December volume boost
TP_MEAN = {"web_visit": 0.10, "online_purchase": 0.20, "store_visit": 0.50,
           "contact_center": -0.20, "support_request": -0.10,
           "complaint": -1.40, "delivery": 0.00, "post_sale_follow_up": 0.45,
           "social_media": 0.00}
TP_SD = {"web_visit": 0.55, "online_purchase": 0.60, "store_visit": 0.55,
         "contact_center": 1.05, "support_request": 0.75, "complaint": 0.70,
         "delivery": 1.10, "post_sale_follow_up": 0.50, "social_media": 0.65}
# weight of the experience on the 90-day repeat purchase
TP_REPEAT_W = {"web_visit": 0.25, "online_purchase": 0.45, "store_visit": 0.40,
               "contact_center": 1.00, "support_request": 0.55,
               "complaint": 0.60, "delivery": 1.05, "post_sale_follow_up": 0.30,
               "social_media": 0.15}
# effort offset (negative = harder)
TP_EFFORT = {"web_visit": 0.2, "online_purchase": 0.3, "store_visit": 0.3,
             "contact_center": -0.7, "support_request": -0.5,
             "complaint": -0.9, "delivery": 0.1, "post_sale_follow_up": 0.4,
             "social_media": 0.0}


def month_shift(tp: str, month: int) -> float:
    """Touchpoint x month shift of the experience (the planted alarm)."""
    s = MONTH_GENERAL[month - 1]
    if tp == "delivery":
        s += {11: -0.95, 12: -1.20}.get(month, 0.0)
    elif tp == "contact_center":
        s += {12: -0.30}.get(month, 0.0)
    return s


CHANNELS = {
    "web_visit": (["web", "app"], [0.65, 0.35]),
    "online_purchase": (["web", "app"], [0.55, 0.45]),
    "store_visit": (["store"], [1.0]),
    "contact_center": (["contact_center"], [1.0]),
    "support_request": (["chat", "email", "contact_center"], [0.45, 0.30, 0.25]),
    "complaint": (["contact_center", "email", "chat", "social"],
                  [0.40, 0.30, 0.20, 0.10]),
    "delivery": (["delivery"], [1.0]),
    "post_sale_follow_up": (["email", "app", "contact_center"], [0.60, 0.25, 0.15]),
    "social_media": (["social"], [1.0]),
}
STAGES = {
    "web_visit": (["discovery"], [1.0]),
    "online_purchase": (["purchase"], [1.0]),
    "store_visit": (["purchase", "discovery"], [0.70, 0.30]),
    "contact_center": (["support", "usage"], [0.75, 0.25]),
    "support_request": (["support"], [1.0]),
    "complaint": (["complaint"], [1.0]),
    "delivery": (["delivery"], [1.0]),
    "post_sale_follow_up": (["post_sale"], [1.0]),
    "social_media": (["discovery", "usage", "complaint"], [0.50, 0.30, 0.20]),
}
P_INTENTIONAL = {"web_visit": 0.60, "online_purchase": 1.0, "store_visit": 0.85,
                 "contact_center": 1.0, "support_request": 1.0,
                 "complaint": 0.0, "delivery": 1.0,
                 "post_sale_follow_up": 0.0, "social_media": 0.0}

# hour-of-day profiles (relative weights for hours 0..23)
HOURS_DAY = [0, 0, 0, 0, 0, 0, 0, 1, 3, 5, 6, 6, 6, 5, 5, 5, 5, 5, 5, 4, 3, 1, 0, 0]
HOURS_STORE = [0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 4, 6, 6, 5, 5, 5, 6, 7, 8, 7, 5, 3, 0, 0]
HOURS_ONLINE = [2, 1, 1, 0.5, 0.5, 0.5, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 6,
                7, 7, 6, 4]
HOUR_PROFILE = {"web": HOURS_ONLINE, "app": HOURS_ONLINE, "social": HOURS_ONLINE,
                "email": HOURS_ONLINE, "chat": HOURS_DAY,
                "contact_center": HOURS_DAY, "store": HOURS_STORE,
                "delivery": HOURS_DAY}

# --------------------------------------------------------------------------
# Comment fragments: [language][sentiment][touchpoint] and generic ones
# --------------------------------------------------------------------------
FRAG = {
    "es": {
        "neg": {
            "web_visit": ["la web va muy lenta", "no encontré lo que buscaba",
                          "la página se cuelga", "el buscador no funciona bien",
                          "demasiados anuncios en la web"],
            "online_purchase": ["el pago con tarjeta falló",
                                "el proceso de compra es lioso",
                                "me cobraron dos veces",
                                "el cupón de descuento no funcionaba",
                                "la app se cerró al pagar"],
            "store_visit": ["colas larguísimas en caja", "personal poco amable",
                            "no había stock de mi talla",
                            "nadie me atendió en tienda",
                            "la tienda estaba desordenada"],
            "contact_center": ["mucho tiempo de espera",
                               "el tiempo de espera es excesivo",
                               "estuve 40 minutos esperando",
                               "la atención telefónica fue mala",
                               "me pasaron de un agente a otro",
                               "el agente fue muy borde"],
            "support_request": ["todavía espero el reembolso",
                                "no resolvieron mi problema",
                                "tardaron días en responder el correo",
                                "el chat no sirve de nada",
                                "tuve que repetir mi caso tres veces"],
            "complaint": ["sigo sin recibir el reembolso",
                          "pésima atención con mi reclamación",
                          "nadie se hace responsable",
                          "cerraron la reclamación sin resolverla",
                          "quiero mi reembolso ya"],
            "delivery": ["la entrega llegó tarde", "el pedido llegó tarde",
                         "el paquete llegó dañado",
                         "nadie me avisó del retraso",
                         "el repartidor no pasó y lo marcaron como ausente",
                         "llegó una semana tarde"],
            "post_sale_follow_up": ["la garantía es un lío",
                                    "nadie respondió a mi consulta",
                                    "demasiadas encuestas",
                                    "el producto se rompió al mes"],
            "social_media": ["no contestan en redes",
                             "respuesta tardía por Instagram",
                             "borran los comentarios negativos",
                             "solo respuestas automáticas"],
        },
        "neu": {
            "web_visit": ["la web está bien", "podrían mejorar el buscador"],
            "online_purchase": ["compra normal", "el envío es caro"],
            "store_visit": ["tienda correcta", "algo de cola pero bien"],
            "contact_center": ["me atendieron, pero hubo espera",
                               "atención correcta"],
            "support_request": ["resuelto, aunque tardaron un poco",
                                "respuesta correcta"],
            "complaint": ["resolvieron la reclamación a medias"],
            "delivery": ["llegó en el plazo previsto",
                         "la entrega fue correcta"],
            "post_sale_follow_up": ["seguimiento correcto"],
            "social_media": ["respondieron al día siguiente"],
        },
        "pos": {
            "web_visit": ["web muy clara", "encontré todo rápido"],
            "online_purchase": ["compra fácil y rápida", "pago sencillo",
                                "proceso de compra muy fácil"],
            "store_visit": ["personal muy amable",
                            "excelente atención en tienda",
                            "la dependienta fue muy amable"],
            "contact_center": ["excelente atención", "me atendieron enseguida",
                               "el agente fue muy amable",
                               "resolvieron todo en una llamada"],
            "support_request": ["resolvieron mi problema rápido",
                                "el reembolso llegó en dos días",
                                "chat muy útil"],
            "complaint": ["gestionaron bien mi reclamación",
                          "me devolvieron el dinero rápido"],
            "delivery": ["entrega rápida", "llegó antes de lo previsto",
                         "el repartidor fue muy amable",
                         "pedido perfecto y puntual"],
            "post_sale_follow_up": ["buen seguimiento",
                                    "se preocuparon por si todo estaba bien"],
            "social_media": ["respondieron rápido por redes",
                             "muy majos en Instagram"],
        },
    },
    "en": {
        "neg": {
            "web_visit": ["website is really slow",
                          "couldn't find what I was looking for",
                          "the search doesn't work", "too many pop-ups"],
            "online_purchase": ["card payment failed", "checkout is confusing",
                                "I was charged twice",
                                "discount code didn't work",
                                "app crashed at checkout"],
            "store_visit": ["long queues at the till", "rude staff",
                            "nobody helped me in store", "item out of stock"],
            "contact_center": ["long waiting time",
                               "waiting time was ridiculous",
                               "waited 40 minutes on hold",
                               "rude staff on the phone",
                               "transferred from one agent to another"],
            "support_request": ["still waiting for my refund",
                                "problem not solved",
                                "took days to answer my email",
                                "chat was useless"],
            "complaint": ["still no refund",
                          "terrible handling of my complaint",
                          "nobody takes responsibility",
                          "complaint closed without a fix"],
            "delivery": ["late delivery", "the delivery arrived late",
                         "parcel arrived damaged",
                         "no notice about the delay",
                         "courier never came"],
            "post_sale_follow_up": ["warranty process is a mess",
                                    "nobody answered my question",
                                    "too many surveys"],
            "social_media": ["no reply on social media",
                             "only canned answers"],
        },
        "neu": {
            "web_visit": ["website is ok"],
            "online_purchase": ["checkout was ok", "shipping is expensive"],
            "store_visit": ["store was fine"],
            "contact_center": ["got help but had to wait"],
            "support_request": ["solved, but slowly"],
            "complaint": ["complaint only partly solved"],
            "delivery": ["arrived on time", "delivery was fine"],
            "post_sale_follow_up": ["follow-up was ok"],
            "social_media": ["answered the next day"],
        },
        "pos": {
            "web_visit": ["clear website", "found everything fast"],
            "online_purchase": ["easy checkout", "fast and easy checkout",
                                "smooth payment"],
            "store_visit": ["friendly staff", "great service in store"],
            "contact_center": ["excellent service", "friendly agent",
                               "fast answer", "solved in one call"],
            "support_request": ["fast fix", "refund came in two days",
                                "helpful chat"],
            "complaint": ["handled my complaint well", "quick refund"],
            "delivery": ["fast delivery", "arrived early", "friendly courier",
                         "on time and well packed"],
            "post_sale_follow_up": ["nice follow-up"],
            "social_media": ["quick reply on social media"],
        },
    },
}
GENERIC = {
    "es": {"neg": ["muy decepcionado", "no volveré a comprar",
                   "esperaba mucho más", "un desastre", "muy mal servicio"],
           "neu": ["todo normal", "precios algo altos", "ni bien ni mal",
                   "cumple"],
           "pos": ["muy contento", "lo recomiendo", "seguiré comprando aquí",
                   "gracias", "todo perfecto", "una experiencia excelente"]},
    "en": {"neg": ["very disappointed", "won't buy again",
                   "expected much more", "a disaster", "awful service"],
           "neu": ["nothing special", "prices a bit high", "it's ok"],
           "pos": ["very happy", "highly recommend", "will buy again",
                   "thanks", "great experience", "love it"]},
}
PEAK_DELIVERY = {"es": ["pedido de Navidad", "con lo del Black Friday",
                        "el regalo de Navidad no llegó a tiempo"],
                 "en": ["Christmas order", "Black Friday order",
                        "the gift didn't arrive in time"]}
JOINERS = {"es": [", ", ". ", " y ", " - "], "en": [", ", ". ", " and ", " - "]}
UNACCENT = str.maketrans("áéíóúÁÉÍÓÚ", "aeiouAEIOU")


# --------------------------------------------------------------------------
# Deterministic random helpers (only Random.random() and + - * / floor)
# --------------------------------------------------------------------------
class Rng:
    def __init__(self, seed: int) -> None:
        self._r = random.Random(seed)

    def u(self) -> float:
        return self._r.random()

    def normal(self) -> float:
        """Approximately N(0, 1): Irwin-Hall sum of 12 uniforms minus 6."""
        return sum(self._r.random() for _ in range(12)) - 6.0

    def bern(self, p: float) -> bool:
        return self._r.random() < p

    def int_between(self, lo: int, hi: int) -> int:
        return min(hi, lo + math.floor(self._r.random() * (hi - lo + 1)))

    def pick(self, items, weights=None):
        if weights is None:
            return items[min(len(items) - 1, math.floor(self.u() * len(items)))]
        cum, acc = [], 0.0
        for w in weights:
            acc += w
            cum.append(acc)
        return items[min(len(items) - 1, bisect.bisect_right(cum, self.u() * acc))]


def iround(x: float) -> int:
    return math.floor(x + 0.5)


def clip(x, lo, hi):
    return lo if x < lo else hi if x > hi else x


# --------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------
def make_comment(rng: Rng, lang: str, sentiment: str, tp: str, month: int) -> str:
    parts = [rng.pick(FRAG[lang][sentiment][tp])]
    if tp == "delivery" and sentiment == "neg" and month >= 11 and rng.bern(0.45):
        parts.append(rng.pick(PEAK_DELIVERY[lang]))
    text = parts[0]
    if len(parts) > 1:
        text += rng.pick(JOINERS[lang][:2]) + parts[1]
    r = rng.u()
    if r < 0.25:
        other = rng.pick(FRAG[lang][sentiment][tp])
        if other not in parts:
            text += rng.pick(JOINERS[lang]) + other
    elif r < 0.60:
        text += rng.pick(JOINERS[lang][:2]) + rng.pick(GENERIC[lang][sentiment])
    if rng.bern(0.75):                    # most users capitalise sentences
        text = ". ".join(s[:1].upper() + s[1:] for s in text.split(". "))
    r = rng.u()
    if sentiment == "pos" and r < 0.20:
        text += "!"
    elif sentiment == "neg" and r < 0.10:
        text += "!!"
    elif r < 0.55:
        text += "."
    if lang == "es" and rng.bern(0.15):
        text = text.translate(UNACCENT)   # typed without accents
    return text


def generate(seed: int = SEED) -> list[dict]:
    rng = Rng(seed)

    # customers -----------------------------------------------------------
    customers = []
    for i in range(N_CUSTOMERS):
        seg = rng.pick(SEGMENTS, SEGMENT_SAMPLE)
        reg = rng.pick(REGIONS, REGION_SAMPLE)
        lang = "es" if rng.bern(0.60) else "en"
        effect = SEGMENT_EFFECT[seg] + REGION_EFFECT[reg] + 0.45 * rng.normal()
        activity = SEGMENT_ACTIVITY[seg] * (0.4 + 1.2 * rng.u())
        customers.append({"id": f"C{i + 1:05d}", "segment": seg, "region": reg,
                          "language": lang, "effect": effect,
                          "activity": activity, "n": 1})
    # extra responses go to active customers (everyone answers at least once)
    idx = list(range(N_CUSTOMERS))
    act = [c["activity"] for c in customers]
    for _ in range(N_RESPONSES - N_CUSTOMERS):
        customers[rng.pick(idx, act)]["n"] += 1

    # responses -----------------------------------------------------------
    rows = []
    months = list(range(1, 13))
    for c in customers:
        for _ in range(c["n"]):
            month = rng.pick(months, MONTH_VOLUME)
            peak = month >= 11
            tp = rng.pick(TOUCHPOINTS, [TP_FREQ[t] * (TP_PEAK_MULT.get(t, 1.0)
                                                      if peak else 1.0)
                                        for t in TOUCHPOINTS])
            channel = rng.pick(*CHANNELS[tp])
            stage = rng.pick(*STAGES[tp])
            intentional = rng.bern(P_INTENTIONAL[tp])
            day = rng.int_between(1, calendar.monthrange(YEAR, month)[1])
            prof = HOUR_PROFILE[channel]
            hour = rng.pick(list(range(24)), prof)
            ts = dt.datetime(YEAR, month, day, hour,
                             rng.int_between(0, 59), rng.int_between(0, 59),
                             tzinfo=dt.timezone.utc)

            e = TP_MEAN[tp] + month_shift(tp, month) + TP_SD[tp] * rng.normal()
            lat = c["effect"] + e
            nps = clip(iround(7.95 + 1.55 * lat + 1.0 * rng.normal()), 0, 10)
            csat = clip(iround(3.75 + 0.85 * lat + 0.65 * rng.normal()), 1, 5)
            ces = clip(iround(5.0 + TP_EFFORT[tp] + 0.85 * e + 0.35 * c["effect"]
                              + 0.9 * rng.normal()), 1, 7)
            rep_int = clip(iround(3.55 + 0.75 * c["effect"] + 0.45 * e
                                  + 0.75 * rng.normal()), 1, 5)
            drive = c["effect"] + TP_REPEAT_W[tp] * (e - 0.1)
            p_rep = clip(0.56 + 0.28 * drive, 0.04, 0.95)
            repeat = 1 if rng.bern(p_rep) else 0

            # missingness (MCAR; CES not asked on social media)
            nps_v = None if rng.bern(0.02) else nps
            csat_v = None if rng.bern(0.03) else csat
            ces_v = None if (tp == "social_media" or rng.bern(0.006)) else ces
            rep_v = None if rng.bern(0.03) else rep_int

            # comment -------------------------------------------------------
            score = nps if nps_v is not None else iround(7.95 + 1.55 * lat)
            if score <= 6:
                sentiment, p_comment = "neg", 0.76
            elif score <= 8:
                sentiment, p_comment = "neu", 0.54
                r = rng.u()
                if r < 0.2:
                    sentiment = "neg"
                elif r < 0.45:
                    sentiment = "pos"
            else:
                sentiment, p_comment = "pos", 0.60
            comment = ""
            if rng.bern(p_comment):
                comment = make_comment(rng, c["language"], sentiment, tp, month)

            rows.append({
                "_ts": ts, "respondent_id": c["id"],
                "recorded_at": ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "touchpoint": tp, "channel": channel, "journey_stage": stage,
                "intentional": "true" if intentional else "false",
                "segment": c["segment"], "region": c["region"],
                "nps": nps_v, "csat": csat_v, "ces": ces_v,
                "repurchase_intention": rep_v, "repeat_purchase_90d": repeat,
                "language": c["language"], "comment": comment,
            })

    # chronological order and ids -----------------------------------------
    rows.sort(key=lambda r: (r["_ts"], r["respondent_id"]))
    for k, r in enumerate(rows, start=1):
        r["response_id"] = f"R{k:06d}"

    # post-stratification weights by segment x region ----------------------
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (r["segment"], r["region"])
        counts[key] = counts.get(key, 0) + 1
    pop = {(s, g): ps * pg for s, ps in zip(SEGMENTS, SEGMENT_POP)
           for g, pg in zip(REGIONS, REGION_POP)}
    for r in rows:
        key = (r["segment"], r["region"])
        w = clip(pop[key] * len(rows) / counts[key], 0.40, 3.00)
        r["weight"] = f"{w:.2f}"
    return rows


def write_csv(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow(["" if r[col] is None else r[col] for col in COLUMNS])


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    rows = generate(SEED)
    write_csv(rows, out)
    print(f"wrote {len(rows)} rows to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
