// Technology: a product launch or a data breach.
import { article, commas, type Ctx, type Draft, type Line, line, type TopicDef } from '../context';

const DEVICES: readonly { kind: string; feature: string }[] = [
  { kind: 'folding smartphone', feature: 'a screen that opens to the size of a small tablet' },
  { kind: 'smartwatch', feature: 'a sensor that tracks blood oxygen during sleep' },
  { kind: 'home battery', feature: 'software that charges it when electricity is cheapest' },
  { kind: 'electric scooter', feature: 'a removable battery that charges from an ordinary socket' },
  { kind: 'laptop', feature: 'a keyboard that can be repaired without special tools' },
  { kind: 'pair of wireless earbuds', feature: 'noise cancelling that adapts to the wearer' },
  { kind: 'delivery drone', feature: 'a parachute that opens if a motor fails' },
];
const PRODUCT_NAMES = ['Orbit', 'Pulse', 'Nimbus', 'Vector', 'Lumen', 'Drift', 'Atlas', 'Quill', 'Halo', 'Tempo'];
const DATA = ['email addresses and phone numbers', 'names and home addresses', 'usernames and encrypted passwords', 'purchase histories'];

function build(c: Ctx): Draft {
  const company = `${c.company()} ${c.one('Technologies', 'Digital', 'Devices', 'Labs')}`;
  const hq = c.town();
  const ceo = c.person();
  const engineer = c.person();
  const reviewer = c.person();
  const expert = c.person();
  const day = c.weekday();
  const employees = c.count(300, 40_000);

  let lead: Line;
  let keys: Line[];
  const extra: Line[] = [];
  if (c.r.chance(0.6)) {
    const d = c.one(...DEVICES);
    const product = `${c.one(...PRODUCT_NAMES)} ${c.r.int(2, 9)}`;
    const price = `$${commas(c.r.int(9, 199) * 10 - 1)}`;
    const hours = c.r.int(10, 72);
    const launch = c.date();
    const markets = c.r.int(3, 30);
    lead = line(
      `${company} unveiled the ${product}, ${article(d.kind)} ${d.kind} with ${d.feature}, at an event in ${hq} on ${day}.`,
      `On ${day}, ${company} unveiled the ${product}, ${article(d.kind)} ${d.kind} with ${d.feature}.`,
    );
    keys = [
      line(
        `The ${product} will cost ${price} and go on sale on ${launch} in ${markets} countries.`,
        `The ${product} goes on sale on ${launch} in ${markets} countries for ${price}.`,
      ),
      line(
        `The company says its battery lasts up to ${hours} hours on a single charge.`,
        `${company} says the battery lasts up to ${hours} hours per charge.`,
      ),
      line(
        `Chief executive ${ceo.full} said the ${product} was the result of ${c.r.int(2, 6)} years of work.`,
        `Chief executive ${ceo.full} presented the ${product} at the event.`,
      ),
    ];
    extra.push(
      line(`Early reviews praised the design but questioned the price.`),
      line(`${engineer.full}, who led the engineering team, said the hardest part was keeping the weight down.`),
      line(`"We built this for people who are tired of replacing their devices every two years," ${ceo.last} said.`),
    );
  } else {
    const users = c.count(40_000, 9_000_000);
    const data = c.one(...DATA);
    const detected = c.weekday();
    lead = line(
      `${company} said on ${day} that hackers had stolen the ${data} of ${users} customers.`,
      `Hackers stole the ${data} of ${users} ${company} customers, the company said on ${day}.`,
    );
    keys = [
      line(
        `The company said it discovered the breach on ${detected} and had since closed the weakness the attackers used.`,
        `${company} said it found the breach on ${detected} and has closed the weakness.`,
      ),
      line(
        `Chief executive ${ceo.full} apologised to customers and said no payment card details were taken.`,
        `Chief executive ${ceo.full} apologised and said no payment card details were taken.`,
      ),
    ];
    extra.push(
      line(`${expert.full}, a security researcher, said customers should change their passwords as a precaution.`),
      line(`Regulators said they were aware of the breach and would ask the company for more details.`),
      line(`The company has faced criticism in the past over how it handles customer data.`),
    );
  }

  const fillers = [
    ...extra,
    line(`${reviewer.full}, who reviews gadgets for a technology website, said the company had a strong record on reliability.`),
    line(`${company}, which is based in ${hq}, employs about ${employees} people.`),
    line(`The company's shares were little changed after the announcement.`),
    line(`Rival firms are expected to announce competing products later this year.`),
    line(`${company} said it would offer free support to any customer with concerns.`),
    line(`Industry watchers said the announcement showed how quickly the market is changing.`),
    line(`The company was founded by ${c.person().full} in a small office above a shop.`),
    line(`The company has opened a new research centre in ${c.town()} this year.`),
    line(`Analysts said the coming months would show whether customers trust the brand.`),
    line(`The announcement was streamed online and watched by thousands of people.`),
  ];

  const closers = [
    line(`${company} will report its next quarterly results in ${c.month()}.`),
    line(`More details are expected at the company's developer conference in ${c.month()}.`),
  ];
  return { lead, keys, fillers, closers };
}

export const technology: TopicDef = { name: 'technology', build };
