"""Patient-voice review text composed from sentence pools that follow the review's structured answers.

No pool names a person: staff are 'the nurse', 'my CRNA', 'the doctor'. Slots ({n}, {weeks}, ...) are
filled at random, so bodies rarely repeat; callers that need uniqueness re-draw on a clash.
"""

from __future__ import annotations

import string

from provider_dir.listings.vocab import Condition, Route
from provider_dir.reviews.vocab import Answer, SideEffect, TimeToRelief
from provider_dir.seeding.quickrandom import QuickRandom

C = Condition
OPENERS = {
    C.DEPRESSION: [
        "I came in after {k} antidepressants and years of therapy had barely moved my depression.",
        "My depression had been treatment-resistant for about {years} years before I tried ketamine here.",
        "I was referred by my psychiatrist after the third medication change in a year did nothing.",
        "I had stopped answering texts and could barely get through a workday when I booked a consult.",
    ],
    C.ANXIETY: [
        "I came for generalized anxiety that had me waking at 4 am with my heart racing most nights.",
        "Anxiety had narrowed my life to home and work, and medications left me foggy.",
        "I was skeptical, but my anxiety was bad enough that I was willing to try something different.",
    ],
    C.PTSD: [
        "I am a veteran and came for PTSD after a long stretch of nightmares and being constantly on guard.",
        "I sought treatment for PTSD after a car accident that I kept reliving.",
        "My PTSD made crowded places impossible, and years of talk therapy had stalled.",
    ],
    C.OCD: [
        "I came for OCD; the intrusive thoughts were eating hours out of every day.",
        "My OCD had not responded well to two SSRIs, so my psychiatrist suggested ketamine.",
    ],
    C.BIPOLAR: [
        "I have bipolar II and the depressive episodes were the part nothing seemed to touch.",
        "I came during a long bipolar depression, with my psychiatrist's blessing and my mood stabilizer unchanged.",
    ],
    C.SUICIDAL: [
        "I came in during a period of dark, persistent thoughts that I could not shake on my own.",
        "My therapist recommended this clinic when the hopeless thoughts kept coming back.",
    ],
    C.FIBROMYALGIA: [
        "I have had fibromyalgia for {years} years and my pain was flaring almost every day.",
        "Fibromyalgia pain and the exhaustion that comes with it brought me here.",
    ],
    C.CRPS: [
        "I have CRPS in my {limb} after a minor injury, and the burning pain had become constant.",
        "My pain doctor referred me for CRPS that had spread up my {limb}.",
    ],
    C.NEUROPATHIC: [
        "I came for nerve pain in my feet that made it hard to sleep.",
        "Neuropathic pain after shingles had lasted well over a year when I came here.",
    ],
    C.MIGRAINE: [
        "I came for chronic migraine, averaging {k} or more bad days a week.",
        "Migraines had cost me a lot of workdays and the usual preventives had failed.",
    ],
    C.OTHER_PAIN: [
        "I came for chronic back pain after two surgeries that did not fix it.",
        "Years of chronic pain had worn down my mood as much as my body.",
    ],
}
LIMBS = ["right hand", "left foot", "left arm", "right leg", "right foot", "left hand"]

EVALUATED = {
    Answer.YES: [
        "The intake was thorough: a full medical history, my medication list and a long talk about my mental health.",
        "Before my first infusion they went through my history, took my blood pressure twice and asked about my heart.",
        "They asked for records from my psychiatrist and did their own evaluation before booking the first session.",
    ],
    Answer.NO: [
        "There was no real evaluation; I filled in a form online and was in the chair the same week.",
        "Nobody asked much about my history before the first infusion, which worried me afterwards.",
    ],
    Answer.NOT_SURE: ["I had a short phone call beforehand, but I am not sure it counted as an evaluation."],
}
VITALS = {
    Answer.YES: [
        "My blood pressure and oxygen were on the monitor the whole time and someone checked it every few minutes.",
        "They took my vitals before starting and the cuff went off every {minutes} minutes during the infusion.",
        "I could see the monitor with my heart rate and oxygen, and the nurse kept glancing at it.",
        "When my blood pressure went up a bit, they slowed the drip and it settled.",
    ],
    Answer.NO: [
        "Nobody checked my blood pressure during the infusion, which I only realized later was not normal.",
        "There was a pulse clip on my finger but no one seemed to be watching the numbers.",
        "They took my blood pressure once at the start and never again.",
    ],
    Answer.NOT_SURE: ["I think they were monitoring me, but honestly I was too out of it to notice."],
}
CLINICIAN = {
    Answer.YES: [
        "A nurse stayed in the room for the whole infusion.",
        "The CRNA sat with me from the moment the line went in until I came back around.",
        "Someone was always within arm's reach, which made the dissociative part much less scary.",
    ],
    Answer.NO: [
        "I was left alone in the room for long stretches and had to call out when I felt sick.",
        "Once the drip started the staff mostly disappeared, and I felt very alone.",
    ],
    Answer.NOT_SURE: ["Staff came in and out; I am not sure anyone was there the whole time."],
}
ROUTE_EXPERIENCE = {
    Route.IV: [
        "Each infusion lasted about {minutes_long} minutes on a pump, then {recover} minutes in a recovery chair.",
        "The IV went in easily and the drip ran for around {minutes_long} minutes.",
        "The infusions themselves felt like floating, a bit strange at first and calmer each time.",
    ],
    Route.IM: [
        "I had the injections instead of an IV because my veins are hard to find, and it worked fine.",
        "The shot takes effect quickly; I was settled in a recliner within a few minutes.",
    ],
    Route.ESKETAMINE: [
        "With the Spravato nasal spray you stay for two hours of observation, so bring a book for afterwards.",
        "I did the nasal spray twice a week at first; the two-hour wait afterwards is required.",
    ],
    Route.ORAL: [
        "I had the sublingual lozenges during therapy sessions rather than infusions.",
        "The sublingual doses were paired with long sessions with the therapist, which suited me.",
    ],
}
SIDE_EFFECTS = {
    SideEffect.NAUSEA: [
        "I felt nauseous after the first two sessions until they gave me something for it beforehand.",
        "Some nausea on the drive home, nothing that lasted.",
    ],
    SideEffect.DIZZINESS: [
        "I was dizzy standing up afterwards and glad to have someone's arm to the car.",
        "Dizziness for an hour or so after each session.",
    ],
    SideEffect.RAISED_BP: [
        "My blood pressure climbed during the first infusion, and they adjusted the rate.",
        "My blood pressure runs high during the infusions, so they watch it closely.",
    ],
    SideEffect.DISSOCIATION: [
        "The dissociation was intense the first time, like watching myself from far away.",
        "I had some vivid, dreamlike visuals during the infusions; strange but not frightening.",
        "The floaty, detached feeling wore off within half an hour of the drip stopping.",
    ],
    SideEffect.FATIGUE: [
        "I was wiped out for the rest of each infusion day and slept early.",
        "Tiredness was the main side effect for me; I planned nothing after sessions.",
    ],
    SideEffect.OTHER: ["I got a headache after a couple of sessions, which went away by the next morning."],
    SideEffect.NONE: ["I had no real side effects beyond feeling a bit spacey during the infusion itself."],
}
RELIEF = {
    TimeToRelief.HOURS: [
        "The change was fast: within hours of my first infusion the heaviness lifted a little.",
        "I noticed a difference the same evening, which I did not expect at all.",
    ],
    TimeToRelief.DAYS: [
        "By the third session I had better days than bad ones.",
        "Within a few days of starting I was sleeping better and getting things done again.",
        "Around day {days} I realized I was having a genuinely good morning.",
    ],
    TimeToRelief.WEEKS: [
        "It took {weeks} weeks before I felt a real change, so I am glad I did not give up after two sessions.",
        "Progress was slow; it was only near the end of the series that things shifted.",
    ],
    TimeToRelief.NONE: [
        "Unfortunately I felt no real improvement after {n} sessions.",
        "I did the whole series and my symptoms did not change.",
        "It simply did not work for me, and I wish they had reviewed my progress sooner.",
    ],
}
STAFF = {
    "good": [
        "The nurses were kind and explained every step before doing it.",
        "The front desk remembered my name by the second visit and the doctor took time with my questions.",
        "Everyone spoke to me like an adult and never rushed me out the door.",
        "The medical director called me after my first infusion to see how I was doing.",
    ],
    "mixed": [
        "Staff were friendly, though explanations could be rushed when they were busy.",
        "The clinical staff were good; the office side was less organized.",
    ],
    "bad": [
        "The staff seemed overworked and I never saw the same person twice.",
        "My questions about side effects were brushed off.",
        "The doctor I was told would supervise never actually came into the room.",
    ],
}
SCHEDULING = {
    "good": [
        "Booking was easy and they fit the whole series into {weeks} weeks around my work.",
        "They had evening slots, which made the series possible for me.",
    ],
    "bad": [
        "Appointments were cancelled twice with little notice.",
        "I waited over {wait} minutes past my appointment time on most visits.",
        "Getting someone on the phone to reschedule was a struggle.",
    ],
}
PRICE = {
    Answer.YES: [
        "The price was exactly what they quoted, and they gave me a superbill for my insurance.",
        "It is expensive, but the price matched the quote and there were no surprise fees.",
        "They were upfront about cost: ${price} per infusion, less if you pay for the series.",
    ],
    Answer.NO: [
        "The bill came to more than the quote once 'monitoring fees' were added.",
        "I was quoted ${price} per infusion and ended up paying quite a bit more.",
        "There was a consultation fee nobody had mentioned when I booked.",
    ],
    Answer.NOT_SURE: ["I am still sorting out what insurance will cover, so I cannot say yet if the price matched."],
}
THERAPY = {
    Answer.YES: [
        "The integration sessions with their therapist helped me make sense of what came up.",
        "They offered therapy between infusions, and that is where most of the work happened for me.",
    ],
    Answer.NO: [
        "There was no therapy or integration on offer, just the infusions.",
        "I would have liked some integration support; I had to find my own therapist.",
    ],
    Answer.NOT_SURE: [],
}
RIDE = {
    Answer.YES: ["They would not let me leave without my ride there, which I appreciated later."],
    Answer.NO: ["Nobody checked whether I had a ride, and I should not have been driving."],
    Answer.NOT_SURE: [],
}
ROOM = {
    Answer.YES: ["The room was private and quiet, with a blanket and headphones.",
                 "My partner was allowed to sit with me in the private room."],
    Answer.NO: ["The infusion chairs are in a shared room with curtains, so it can be noisy.",
                "I was in an open area with other patients, which made it hard to relax."],
    Answer.NOT_SURE: [],
}
CLOSERS = {
    5: ["I would recommend them to anyone who has run out of options.", "Cannot say enough good things.",
        "It has given me my life back, at least for now.", "I still go for maintenance every {weeks} weeks."],
    4: ["Overall a good experience; I would go back.", "A few rough edges, but I would recommend them.",
        "Worth it for me, though not cheap."],
    3: ["Mixed feelings overall.", "Some things were good, some need work.",
        "I might try another clinic next time."],
    2: ["I would not go back.", "I expected more for the price.", "Look elsewhere if you can."],
    1: ["I cannot recommend this clinic.", "Please ask a lot of questions before booking here.",
        "I reported my concerns to the clinic and never heard back."],
}
TITLES = {
    5: ["Careful, kind staff", "Finally some relief", "Professional from start to finish", "Worth every visit",
        "Felt safe the whole time", "Life-changing for my pain", "Thorough and calm", "They really listen",
        "Great monitoring, great people", "Best decision this year", "Clear plan, real results"],
    4: ["Good care, a bit pricey", "Helped more than I expected", "Solid clinic", "Positive overall",
        "Kind nurses, slow front desk", "Good experience with small hiccups", "Would return"],
    3: ["Mixed experience", "Okay, not great", "Helped a little", "Fine care, poor communication",
        "Some relief, many delays"],
    2: ["Disappointing", "Disorganized", "Not what I was promised", "Felt rushed", "Too expensive for what it is"],
    1: ["Did not feel safe", "Would not return", "No monitoring, no follow-up", "Billing surprises",
        "Avoid", "Left alone during infusion"],
}
REJECTED_EXTRAS = {
    "unrelated": "Mostly I want to complain about the parking garage next door, which towed my car.",
    "spam_duplicate": "Use code RELIEF20 at my wellness shop for discounts on supplements!",
    "conflict_of_interest": "Full disclosure: I help out at the front desk here a couple of days a week.",
    "harassment": "Whoever runs this place should be ashamed and run out of town.",
    "clearly_false": "They told me ketamine is FDA-approved for every condition under the sun.",
    "personal_info": "You can reach the owner at home if you look up the address on the county site.",
    "obscene_discriminatory": "The waiting room was full of people who frankly did not belong there.",
}


SLOTS = {
    "k": lambda rng: rng.randint(2, 6), "years": lambda rng: rng.randint(2, 15), "limb": lambda rng: rng.choice(LIMBS),
    "minutes": lambda rng: rng.choice((5, 10, 15)), "wait": lambda rng: rng.choice((30, 40, 45, 60)),
    "minutes_long": lambda rng: rng.choice((40, 45, 50, 55, 60)), "recover": lambda rng: rng.choice((20, 30, 45)),
    "days": lambda rng: rng.randint(2, 9), "weeks": lambda rng: rng.randint(2, 8), "n": lambda rng: rng.randint(3, 8),
}
_slots_of: dict[str, tuple[str, ...]] = {}


def _fill(rng: QuickRandom, sentence: str, price: int | None) -> str:
    names = _slots_of.get(sentence)
    if names is None:
        names = _slots_of[sentence] = tuple(n for _, n, _, _ in string.Formatter().parse(sentence) if n)
    if not names:
        return sentence
    values = {n: (price or rng.randrange(400, 800, 50)) if n == "price" else SLOTS[n](rng) for n in names}
    return sentence.format(**values)


def sentiment(rating: int) -> str:
    """Return the tone band of a star rating."""
    return "good" if rating >= 4 else ("mixed" if rating == 3 else "bad")


def compose_review(rng: QuickRandom, f: dict, *, price: int | None = None,
                   topic_range: tuple[int, int] = (2, 4)) -> tuple[str, str]:
    """Return (title, body) consistent with the structured fields in f, touching topic_range topics."""
    rating = f["rating_overall"]
    chosen = [rng.choice(OPENERS[f["condition"]])]
    topics = [
        EVALUATED[f["evaluated_before"]], VITALS[f["vitals_monitored"]], CLINICIAN[f["clinician_present"]],
        ROUTE_EXPERIENCE[f["route"]], RELIEF[f["time_to_relief"]], STAFF[sentiment(f["rating_staff"])],
        PRICE[f["price_matched"]], THERAPY[f["psychotherapy_offered"]], RIDE[f["ride_required"]],
        ROOM[f["private_room"]],
    ]
    if rating != 3:
        topics.append(SCHEDULING[sentiment(rating)])
    pools = [pool for pool in topics if pool]
    picked = rng.sample(pools, rng.randint(*topic_range))
    if rating <= 2:  # complaints lead with what went wrong
        answers = (f["vitals_monitored"], f["price_matched"], f["clinician_present"])
        picked = [pool[Answer.NO] for pool, a in zip((VITALS, PRICE, CLINICIAN), answers, strict=True)
                  if a == Answer.NO] + picked
    for pool in picked:
        sentence = rng.choice(pool)
        if sentence not in chosen:
            chosen.append(sentence)
    effects = f["side_effects"]
    for effect in rng.sample(effects, min(len(effects), rng.randint(1, 2))):
        chosen.insert(rng.randint(1, len(chosen)), rng.choice(SIDE_EFFECTS[effect]))
    chosen.append(rng.choice(CLOSERS[rating]))
    body = " ".join(_fill(rng, s, price) for s in chosen)
    return rng.choice(TITLES[rating]), body
