// City council: a vote on spending for a local project.
import { article, type Ctx, type Draft, line, type TopicDef } from '../context';

const PROJECTS: readonly { what: string; short: string; benefit: string }[] = [
  { what: 'repairs to the town\'s most damaged roads', short: 'road repair programme', benefit: 'fewer potholes and safer cycling' },
  { what: 'a new public library on the site of the old post office', short: 'library project', benefit: 'longer opening hours and a larger children\'s section' },
  { what: 'an expansion of the local bus network', short: 'bus expansion', benefit: 'more frequent services to the outer neighbourhoods' },
  { what: 'upgrades to the water treatment plant', short: 'water plant upgrade', benefit: 'cleaner drinking water and lower maintenance costs' },
  { what: 'a riverside park with walking trails and a playground', short: 'riverside park', benefit: 'more green space for families' },
  { what: 'affordable housing on the former rail yard', short: 'housing development', benefit: 'homes that young families can afford' },
  { what: 'protected bike lanes through the town centre', short: 'bike lane plan', benefit: 'safer streets for cyclists and pedestrians' },
  { what: 'a renovation of the community swimming pool', short: 'pool renovation', benefit: 'a pool that can stay open all year' },
  { what: 'flood barriers along the river', short: 'flood defence scheme', benefit: 'protection for hundreds of homes near the water' },
  { what: 'solar panels on every municipal building', short: 'solar programme', benefit: 'lower energy bills for the town' },
  { what: 'a youth sports complex next to the high school', short: 'sports complex', benefit: 'new pitches and courts for local clubs' },
];

const SOURCES = [
  'the town\'s reserve fund',
  'a state infrastructure grant',
  'savings from last year\'s budget',
  'a bond that voters approved last spring',
  'a combination of federal grants and local fees',
];

const OBJECTIONS = [
  'residents had not been consulted properly',
  'the cost estimate was too optimistic',
  'the money would be better spent on existing services',
  'the town should wait for the results of an independent review',
  'the plan did nothing for the neighbourhoods that need help most',
];

const MAYOR_QUOTES = [
  'This is the most important investment the town has made in a decade',
  'Our residents have been asking for this for years, and tonight we delivered',
  'We listened to every neighbourhood before we made this decision',
  'This will make daily life better for thousands of people',
  'Nobody pretends this is cheap, but doing nothing would cost far more',
];

const STALL_REASONS = [
  'a dispute over the cost',
  'the original contractor withdrew',
  'a legal challenge from a neighbourhood group',
  'the town lost a state grant',
];

function build(c: Ctx): Draft {
  const town = c.town();
  const body = c.one('City Council', 'Town Council', 'Borough Council');
  const council = `${town} ${body}`;
  const p = c.one(...PROJECTS);
  const amount = c.money(400_000, 40_000_000);
  const yes = c.r.int(5, 8);
  const no = c.r.int(1, Math.min(4, yes - 1));
  const day = c.weekday();
  const mayor = c.person();
  const official = c.person();
  const opponent = c.person();
  const resident = c.person();
  const months = c.r.int(6, 30);
  const start = c.month();
  const source = c.one(...SOURCES);
  const objection = c.one(...OBJECTIONS);
  const attendees = c.r.int(40, 400);
  const speakers = c.r.int(8, 35);
  const support = c.r.int(55, 81);
  const surveyed = c.count(300, 2400);
  const population = c.count(12_000, 240_000);
  const jobs = c.r.int(20, 350);
  const proposed = c.year(2012, 2021);
  const hearing = c.date();
  const cut = c.money(50_000, 900_000);

  const lead = c.one(
    line(
      `The ${council} voted ${yes}-${no} on ${day} to approve ${amount} for ${p.what}.`,
      `On ${day}, the ${council} approved ${amount} for ${p.what} in ${article(String(yes))} ${yes}-${no} vote.`,
    ),
    line(
      `Members of the ${council} approved ${amount} for ${p.what} on ${day}, in ${article(String(yes))} ${yes}-${no} vote.`,
      `The ${council} approved ${amount} for ${p.what} on ${day} by a vote of ${yes}-${no}.`,
    ),
    line(
      `${town} will spend ${amount} on ${p.what} after the ${council} backed the plan ${yes}-${no} on ${day}.`,
      `The ${council} backed a plan on ${day} to spend ${amount} on ${p.what}, voting ${yes}-${no}.`,
    ),
  );

  const keys = [
    line(
      `Mayor ${mayor.full} said the money would come from ${source} and would not require a tax increase.`,
      `Mayor ${mayor.full} said the plan would be paid for from ${source} without a tax increase.`,
    ),
    line(
      `Work on the ${p.short} is expected to begin in ${start} and to take about ${months} months, according to ${official.full}, the town's director of public works.`,
      `${official.full}, the town's director of public works, said work is expected to begin in ${start} and take about ${months} months.`,
    ),
    line(
      `Council member ${opponent.full}, who voted against the measure, said ${objection}.`,
      `Council member ${opponent.full} voted against the measure, saying ${objection}.`,
    ),
  ];

  const fillers = [
    line(`About ${attendees} residents attended the meeting at ${town} City Hall, and ${speakers} of them spoke during the public comment period.`),
    line(`"${c.one(...MAYOR_QUOTES)}," ${mayor.last} told the council.`),
    line(`The plan was first proposed in ${proposed} but stalled after ${c.one(...STALL_REASONS)}.`),
    line(`A survey by the ${town} Residents Association found that ${support} percent of the ${surveyed} people who responded supported the ${p.short}.`),
    line(`${opponent.last} proposed an amendment to cut the budget by ${cut}, but it was defeated.`),
    line(`Supporters say the ${p.short} will bring ${p.benefit}.`),
    line(`Town staff estimated that the work would create ${jobs} construction jobs.`),
    line(`${town}, which has a population of about ${population}, has not approved a project of this size in more than a decade.`),
    line(`${resident.full}, who has lived in ${town} for ${c.r.int(8, 45)} years, said the decision was long overdue.`),
    line(`Local business owners said they hoped the work would bring more visitors to the town centre.`),
    line(`The debate lasted more than ${c.r.int(2, 5)} hours and ended shortly before midnight.`),
    line(`${official.last} said the town would publish monthly updates on the cost and the schedule.`),
    line(`Critics noted that a similar project in a neighbouring town ran well over budget.`),
  ];

  const closers = [
    line(`A public hearing on the detailed design is scheduled for ${hearing}.`),
    line(`The council will review the ${p.short} again once the first contracts are signed.`),
    line(`Residents can comment on the plans at ${town} City Hall until ${hearing}.`),
  ];
  return { lead, keys, fillers, closers };
}

export const council: TopicDef = { name: 'city council', build };
