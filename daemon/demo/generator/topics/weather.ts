// Weather: a storm, a heatwave or heavy snow hits a region.
import { type Ctx, type Draft, type Line, line, type TopicDef } from '../context';
import { REGIONS } from '../vocab';

function build(c: Ctx): Draft {
  const town = c.town();
  const town2 = c.town();
  const region = c.one(...REGIONS);
  const office = `${region} Weather Office`;
  const agency = `${town} Emergency Management Agency`;
  const forecaster = c.person();
  const director = c.person();
  const resident = c.person();
  const day = c.weekday();
  const homes = c.count(1_500, 95_000);
  const record = c.year(1948, 2015);
  const roads = c.r.int(6, 60);
  const shelters = c.r.int(2, 14);

  let lead: Line;
  let keys: Line[];
  const kind = c.r.int(0, 2);
  if (kind === 0) {
    const rain = c.r.int(60, 240);
    const wind = c.r.int(70, 150);
    lead = line(
      `A powerful storm brought ${rain} millimetres of rain and winds of up to ${wind} kilometres per hour to ${town} on ${day}, flooding streets and cutting power to ${homes} homes.`,
      `A storm hit ${town} on ${day} with ${rain} millimetres of rain and winds of up to ${wind} kilometres per hour, cutting power to ${homes} homes.`,
    );
    keys = [
      line(
        `The ${office} said it was the wettest day in the area since ${record}.`,
        `The ${office} said the storm made it the wettest day in the area since ${record}.`,
      ),
      line(
        `${director.full}, director of the ${agency}, said ${roads} roads remained closed and crews were working through the night.`,
        `${director.full} of the ${agency} said ${roads} roads were still closed.`,
      ),
    ];
  } else if (kind === 1) {
    const temp = c.r.int(37, 46);
    const daysHot = c.r.int(3, 9);
    lead = line(
      `Temperatures in ${town} reached ${temp} degrees Celsius on ${day}, the ${c.one('second', 'third', 'fourth', 'fifth')} day of a heatwave that forecasters expect to last ${daysHot} more days.`,
      `A heatwave pushed temperatures in ${town} to ${temp} degrees Celsius on ${day}, and forecasters expect it to last ${daysHot} more days.`,
    );
    keys = [
      line(
        `The ${office} issued its highest heat warning and said the previous record for the month was set in ${record}.`,
        `The ${office} issued its highest heat warning for the area.`,
      ),
      line(
        `${director.full}, director of the ${agency}, said ${shelters} cooling centres had opened in libraries and schools.`,
        `${director.full} of the ${agency} said ${shelters} cooling centres had opened.`,
      ),
    ];
  } else {
    const snow = c.r.int(25, 90);
    lead = line(
      `Up to ${snow} centimetres of snow fell on ${town} and the surrounding ${region} on ${day}, closing schools and cutting power to ${homes} homes.`,
      `Up to ${snow} centimetres of snow hit ${town} on ${day}, closing schools and cutting power to ${homes} homes.`,
    );
    keys = [
      line(
        `The ${office} said the storm was the heaviest in the region since ${record}.`,
        `The ${office} said it was the heaviest snowfall in the region since ${record}.`,
      ),
      line(
        `${director.full}, director of the ${agency}, said ${roads} roads were closed and asked drivers to stay at home.`,
        `${director.full} of the ${agency} asked drivers to stay at home, with ${roads} roads closed.`,
      ),
    ];
  }

  const fillers = [
    line(`${forecaster.full}, a forecaster at the ${office}, said conditions should improve by the weekend.`),
    line(`Trains between ${town} and ${town2} were cancelled for most of the day.`),
    line(`Utility crews from neighbouring towns were sent to help restore power.`),
    line(`${resident.full}, who runs a bakery in the town centre, said business had come to a standstill.`),
    line(`Officials urged residents to check on elderly neighbours.`),
    line(`The town opened ${shelters} emergency shelters for people who could not stay in their homes.`),
    line(`Insurance companies said it was too early to estimate the cost of the damage.`),
    line(`"We have not seen anything like this in years," said ${forecaster.last}.`),
    line(`Several flights from the regional airport were delayed or diverted.`),
    line(`Farmers in the area said they were worried about damage to their crops.`),
    line(`Volunteers handed out water and blankets outside the town hall.`),
    line(`${director.last} said the agency had prepared for the event for several days.`),
  ];

  const closers = [
    line(`The ${office} will issue an updated forecast on ${c.weekday()} morning.`),
    line(`Residents can find updates on road closures on the agency's website.`),
  ];
  return { lead, keys, fillers, closers };
}

export const weather: TopicDef = { name: 'weather', build };
