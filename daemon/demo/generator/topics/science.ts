// Science: a new study from a university or institute.
import { type Ctx, type Draft, type Line, line, type TopicDef } from '../context';
import { JOURNAL_WORDS } from '../vocab';

interface Finding {
  /** The institute's field and the journal's subject. */
  field: string;
  journal: string;
  claim: string;
  method: Line;
  meaning: string;
  next: string;
}

function findings(c: Ctx, town: string): Finding[] {
  const p = c.r.int(12, 64);
  const n = c.count(40, 3_000);
  const years = c.r.int(3, 25);
  return [
    {
      field: 'Chemistry',
      journal: 'Materials',
      claim: `a common soil bacterium can break down plastic packaging in about ${c.r.int(20, 90)} days`,
      method: line(
        `The team tested ${n} samples of plastic film in sealed containers over ${years} months.`,
        `The researchers tested ${n} samples of plastic film over ${years} months.`,
      ),
      meaning: 'the bacterium could one day be used at recycling plants',
      next: 'The researchers now plan to test the bacterium outside the laboratory.',
    },
    {
      field: 'Marine Biology',
      journal: 'Ecology',
      claim: `coral reefs recovered ${p} percent faster where fishing was banned`,
      method: line(
        `The team compared ${n} reef sites, half of them inside protected areas, over ${years} years.`,
        `The researchers compared ${n} reef sites over ${years} years.`,
      ),
      meaning: 'protecting fish is one of the cheapest ways to help damaged reefs',
      next: 'The group hopes to extend the survey to reefs in colder waters.',
    },
    {
      field: 'Ecology',
      journal: 'Behaviour',
      claim: `a small songbird can fly more than ${c.count(1_200, 9_000)} kilometres without stopping to rest`,
      method: line(
        `The team fitted ${n} birds with tiny trackers weighing less than ${c.r.int(2, 5)} grams.`,
        `The researchers attached tiny trackers to ${n} birds.`,
      ),
      meaning: 'migrating birds are far tougher than scientists had assumed',
      next: 'The researchers want to find out how the birds navigate at night.',
    },
    {
      field: 'Materials Research',
      journal: 'Materials',
      claim: `a new battery material can store ${p} percent more energy than the designs used today`,
      method: line(
        `The team built and tested ${n} prototype cells over ${years} months.`,
        `The researchers tested ${n} prototype cells over ${years} months.`,
      ),
      meaning: 'electric cars could eventually travel much further on a single charge',
      next: 'Several battery makers have already asked for samples of the material.',
    },
    {
      field: 'Climate Studies',
      journal: 'Earth Systems',
      claim: `glaciers in the ${town} mountains lost ${p} percent of their ice over the past ${years} years`,
      method: line(
        `The team combined satellite images with measurements from ${n} survey points on the ice.`,
        `The researchers used satellite images and ${n} survey points on the ice.`,
      ),
      meaning: 'the region may face water shortages in dry summers within a generation',
      next: 'The team will keep monitoring the glaciers every summer.',
    },
    {
      field: 'Ecology',
      journal: 'Biology',
      claim: `honeybees exposed to a widely used pesticide made ${p} percent fewer foraging trips`,
      method: line(
        `The team tracked ${n} bees from ${c.r.int(12, 60)} hives using small radio tags.`,
        `The researchers tracked ${n} bees with small radio tags.`,
      ),
      meaning: 'even low doses of the chemical can weaken a colony over a season',
      next: 'Regulators have asked to see the full data before the next review of the pesticide.',
    },
    {
      field: 'Earth Sciences',
      journal: 'Biology',
      claim: `a fossil found in a quarry near ${town} belongs to a previously unknown reptile that lived about ${c.r.int(70, 240)} million years ago`,
      method: line(
        `The team examined ${c.r.int(12, 90)} bone fragments recovered during ${years} years of digging at the quarry.`,
        `The researchers examined bone fragments from ${years} years of digging at the quarry.`,
      ),
      meaning: 'the area was home to a much richer mix of animals than previously known',
      next: 'The fossil will go on display at a museum in the region next year.',
    },
    {
      field: 'Vision Science',
      journal: 'Medicine',
      claim: `children who spend at least ${c.r.int(2, 4)} hours a day outdoors are ${p} percent less likely to become short-sighted`,
      method: line(
        `The team followed ${n} children aged between ${c.r.int(5, 7)} and ${c.r.int(11, 14)} for ${years} years.`,
        `The researchers followed ${n} children for ${years} years.`,
      ),
      meaning: 'daylight plays a bigger role in eye health than screen time alone',
      next: 'The team now wants to test whether longer school breaks outdoors make a difference.',
    },
  ];
}

const ADJECTIVES = ['surprising', 'important', 'encouraging', 'striking', 'useful'];

function build(c: Ctx): Draft {
  const town = c.town();
  const f = c.one(...findings(c, c.town()));
  const institution = c.one(`University of ${town}`, `${town} Institute of ${f.field}`);
  const journal = `${c.one(...JOURNAL_WORDS)} in ${f.journal}`;
  const author = c.person();
  const expert = c.person();
  const coauthor = c.person();
  const otherTown = c.town();
  const day = c.weekday();
  const grant = c.money(90_000, 6_000_000);
  const funder = c.one(`the ${c.town()} Science Foundation`, 'a national research council', `the ${c.company()} Trust`);
  const adjective = c.one(...ADJECTIVES);

  const lead = c.one(
    line(
      `Researchers at the ${institution} have found that ${f.claim}, according to a study published on ${day} in the journal ${journal}.`,
      `A study by researchers at the ${institution}, published on ${day} in ${journal}, found that ${f.claim}.`,
    ),
    line(
      `A team from the ${institution} reports that ${f.claim}, in a study published this week in the journal ${journal}.`,
      `A study in the journal ${journal} by a team from the ${institution} reports that ${f.claim}.`,
    ),
  );

  const keys = [
    f.method,
    line(
      `${author.full}, the study's lead author, said the results suggest that ${f.meaning}.`,
      `Lead author ${author.full} said the results suggest that ${f.meaning}.`,
    ),
  ];
  if (c.r.chance(0.5)) {
    keys.push(
      line(
        `The research was funded by ${funder} with a grant of ${grant}.`,
        `The study was paid for by a grant of ${grant} from ${funder}.`,
      ),
    );
  }

  const fillers = [
    line(`${expert.full}, a scientist at the University of ${otherTown} who was not involved in the work, called the findings ${adjective} but said they needed to be repeated by other groups.`),
    line(`"We did not expect the effect to be this large," ${author.last} said.`),
    line(`The authors caution that the study was carried out in a single region and may not apply everywhere.`),
    line(`${coauthor.full}, a co-author of the paper, said the data took longer to analyse than the fieldwork itself.`),
    line(`The paper was reviewed by independent experts before publication.`),
    line(`Similar work published in ${c.year(2009, 2020)} had reached a more cautious conclusion.`),
    line(`The team has made its full data set available to other researchers.`),
    line(`${author.last} first became interested in the question as a graduate student.`),
    line(`The results have already attracted attention from policy makers.`),
    line(`"There is still a great deal we do not understand," ${coauthor.last} said.`),
    line(`The project involved ${c.r.int(6, 30)} scientists from ${c.r.int(2, 9)} countries.`),
    line(`Some of the measurements had to be repeated after equipment failed during a storm.`),
  ];

  const closers = [line(f.next), line(`The team expects to publish further results within ${c.r.int(2, 5)} years.`)];
  return { lead, keys, fillers, closers };
}

export const science: TopicDef = { name: 'science', build };
