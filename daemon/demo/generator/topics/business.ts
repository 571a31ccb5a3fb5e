// Business: quarterly results, an acquisition or a new factory.
import { article, type Ctx, type Draft, type Line, line, type TopicDef } from '../context';

const INDUSTRIES: readonly { suffix: string; goods: string }[] = [
  { suffix: 'Logistics', goods: 'delivery services' },
  { suffix: 'Foods', goods: 'frozen meals' },
  { suffix: 'Energy', goods: 'wind turbines' },
  { suffix: 'Retail', goods: 'home furnishings' },
  { suffix: 'Pharmaceuticals', goods: 'generic medicines' },
  { suffix: 'Motors', goods: 'electric delivery vans' },
  { suffix: 'Textiles', goods: 'outdoor clothing' },
  { suffix: 'Materials', goods: 'recycled building materials' },
  { suffix: 'Appliances', goods: 'kitchen appliances' },
];

const REASONS = [
  'strong demand in its home market',
  'lower shipping costs',
  'a successful product launch in the spring',
  'price increases introduced earlier in the year',
  'cost cuts made after a difficult previous year',
];

const RISKS = [
  'rising interest rates',
  'higher energy prices',
  'weaker consumer spending',
  'new import tariffs',
  'a shortage of skilled workers',
];

function build(c: Ctx): Draft {
  const ind = c.one(...INDUSTRIES);
  const company = `${c.company()} ${ind.suffix}`;
  const hq = c.town();
  const ceo = c.person();
  const cfo = c.person();
  const analyst = c.person();
  const union = c.person();
  const bank = `${c.company()} Capital`;
  const day = c.weekday();
  const reason = c.one(...REASONS);
  const risk = c.one(...RISKS);
  const staff = c.count(800, 60_000);
  const founded = c.year(1952, 2011);
  const share = c.percent(2, 14, 1);
  const quarter = c.one('first', 'second', 'third', 'fourth');

  let lead: Line;
  let keys: Line[];
  const event = c.r.int(0, 2);
  if (event === 0) {
    const revenue = c.money(80_000_000, 9_000_000_000);
    const growth = c.percent(3, 28);
    const profit = c.money(5_000_000, 700_000_000);
    lead = line(
      `${company} said on ${day} that its ${quarter}-quarter revenue rose ${growth} to ${revenue}, helped by ${reason}.`,
      `${company} reported on ${day} that ${quarter}-quarter revenue rose ${growth} to ${revenue}.`,
    );
    keys = [
      line(
        `Net profit for the quarter was ${profit}, and the company raised its forecast for the full year.`,
        `The company made a net profit of ${profit} in the quarter and raised its full-year forecast.`,
      ),
      line(
        `Chief executive ${ceo.full} warned, however, that ${risk} could slow growth next year.`,
        `Chief executive ${ceo.full} warned that ${risk} could slow growth next year.`,
      ),
    ];
  } else if (event === 1) {
    const target = `${c.company()} ${c.one('Software', 'Systems', 'Labs', 'Networks')}`;
    const price = c.money(40_000_000, 4_000_000_000);
    const targetStaff = c.count(60, 4_000);
    const closeBy = c.month();
    lead = line(
      `${company} has agreed to buy ${target} for ${price}, the companies announced on ${day}.`,
      `On ${day}, ${company} agreed to buy ${target} for ${price}.`,
    );
    keys = [
      line(
        `${target}, which employs ${targetStaff} people, makes software that helps manufacturers plan their production.`,
        `${target} employs ${targetStaff} people and makes production planning software for manufacturers.`,
      ),
      line(
        `Chief executive ${ceo.full} said the deal would help ${company} cut costs and reach new customers.`,
        `Chief executive ${ceo.full} said the deal would cut costs and bring new customers.`,
      ),
      line(
        `The deal still needs approval from regulators and is expected to close by ${closeBy}.`,
        `The deal must be approved by regulators and should close by ${closeBy}.`,
      ),
    ];
  } else {
    const cost = c.money(30_000_000, 1_500_000_000);
    const jobs = c.count(150, 3_500);
    const town = c.town();
    const opening = c.year(2025, 2029);
    lead = line(
      `${company} will build ${article(cost)} ${cost} factory in ${town} to make ${ind.goods}, creating ${jobs} jobs, the company said on ${day}.`,
      `${company} said on ${day} that it will build ${article(cost)} ${cost} factory in ${town}, creating ${jobs} jobs.`,
    );
    keys = [
      line(
        `Production is due to start in ${opening}, and the plant will eventually run around the clock.`,
        `The factory is due to start production in ${opening}.`,
      ),
      line(
        `Chief executive ${ceo.full} said ${town} was chosen because of its rail links and its skilled workforce.`,
        `Chief executive ${ceo.full} said ${town} was chosen for its rail links and skilled workforce.`,
      ),
    ];
  }

  const fillers = [
    line(`Shares in ${company} rose ${share} in afternoon trading.`),
    line(`${analyst.full}, an analyst at ${bank}, said the news was better than most investors had expected.`),
    line(`The company, founded in ${hq} in ${founded}, employs about ${staff} people.`),
    line(`"We are investing for the long term, not for the next quarter," ${ceo.last} said.`),
    line(`Chief financial officer ${cfo.full} said the company had no plans to raise new debt.`),
    line(`${union.full}, who represents workers at the company, said staff wanted guarantees about their jobs.`),
    line(`The company has been under pressure from investors to improve its profit margins.`),
    line(`Competitors have struggled with the same rising costs over the past year.`),
    line(`${company} is best known for its ${ind.goods}.`),
    line(`The company will publish its full annual report in ${c.month()}.`),
    line(`${cfo.last} said the company expected to keep its dividend unchanged.`),
    line(`Several large investors declined to comment on the announcement.`),
  ];

  const closers = [
    line(`${company} will update investors again at its annual meeting in ${c.month()}.`),
    line(`Analysts will be watching the next set of results closely.`),
  ];
  return { lead, keys, fillers, closers };
}

export const business: TopicDef = { name: 'business', build };
