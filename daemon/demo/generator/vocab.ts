// Word lists for the article generator. All invented for this project; the names are a mix of
// common given names and surnames from many languages, the places and organisations are built
// from parts so that thousands of articles rarely share the same cast.

export const FIRST_NAMES: readonly string[] = `
Aaron Abigail Adele Adrian Aisha Alberto Alejandra Alina Amara Amir Anders Andrea Anika Anton
Arjun Astrid Beatriz Benedikt Bianca Bilal Boris Bridget Bruno Camila Carmen Cecilia Chiara
Clara Colin Dalia Damian Daniela Declan Delphine Diego Dmitri Edwin Elena Elif Elias Eloise
Emeka Enzo Esther Fatima Felix Fiona Florian Gabriel Gemma Greta Hamza Hannah Hector Helena
Hugo Ibrahim Ilse Imogen Ingrid Isaac Ivana Jasper Javier Jonas Josefina Julian Kamal Karin
Katarina Kenji Kofi Laila Lars Leandro Leonie Liam Lorenzo Lucia Magnus Malik Marco Marisol
Marta Mateo Maya Mei Milan Miriam Nadia Naomi Nikhil Nina Oliver Olga Omar Oscar Paloma
Pavel Priya Quentin Rafael Rania Reuben Rosa Ruben Samira Sander Selin Simone Sofia Stefan
Tamsin Teodor Theo Tobias Ursula Valentina Victor Vivian Wanjiru Wilhelm Yara Yusuf Zara Zoltan
`.split(/\s+/).filter(Boolean);

export const LAST_NAMES: readonly string[] = `
Abara Achterberg Adeyemi Albrecht Alvarado Amundsen Aranda Bakshi Balogun Bergstrom Blackwood
Bondarenko Brannigan Castellano Chakraborty Chowdhury Cisneros Costa Dabrowski Delacroix
Demir Donoghue Ekwueme Engstrom Esposito Falkner Fairweather Ferreira Fitzgerald Galloway
Gallardo Geller Grabowski Gunawardena Haddad Halvorsen Hargreaves Hashemi Hollister Ibarra
Iwasaki Jablonski Jankowski Kapoor Karlsson Kavanagh Kesselring Kowalczyk Kuznetsova Lachance
Lindqvist Lombardi Lundgren Machado Mackenzie Magnusson Markovic Mbeki Meyerhoff Moreau
Nakamura Navarro Nordstrom Novak Nwosu Oduya Okonkwo Olander Ostrowski Pacheco Papadakis
Pellegrini Petrov Quinlan Radcliffe Ramaswamy Rasmussen Richter Rocha Rosenthal Saarinen
Salazar Santangelo Schreiber Sandoval Sorensen Stavros Strickland Szabo Takahashi Tanaka
Thorvaldsen Trujillo Underhill Valdivia Vasquez Verhoeven Villanueva Wainwright Whitaker
Wojcik Yamamoto Yilmaz Zamora Zielinski Zimmerman
`.split(/\s+/).filter(Boolean);

const TOWN_HEADS = `
Ash Bram Cal Dun Elm Fair Glen Hart Kes Lark Marl Oak Pem Quen Red Stan Thorn Wex Wil Bel Cor
Hol Lin Mer Ros Sil Wen Alder Brack Cran Ever Fern Gold Hazel Iron Lock Moss Pine Sand Stone
`.split(/\s+/).filter(Boolean);

const TOWN_TAILS = `
ford bridge field ton wick haven dale mouth port brook more stead ley bury ridge water minster gate
`.split(/\s+/).filter(Boolean);

/** About 700 town names ("Harwick", "Elmbrook"): built, so most are fictional. */
export const TOWNS: readonly string[] = TOWN_HEADS.flatMap((h) => TOWN_TAILS.map((t) => h + t));

export const REGIONS: readonly string[] = [
  'Northern Valley', 'Coastal Plains', 'Eastern Highlands', 'Lake District', 'River Delta', 'Western Uplands',
  'Southern Basin', 'Pine Coast', 'Central Lowlands', 'High Plateau',
];

export const WEEKDAYS: readonly string[] = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const MONTHS: readonly string[] = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
];

/** First halves of company names ("Brightwell", "Northstar"). */
export const COMPANY_HEADS: readonly string[] = `
Bright North Silver Blue Iron Clear True Summit Harbor Maple Pioneer Granite Crescent Beacon Copper
Falcon Orchid Willow Cobalt Juniper Meridian Quarry Radiant Sterling Tidal Vantage Amber Cedar Ember
`.split(/\s+/).filter(Boolean);
export const COMPANY_TAILS: readonly string[] = `
well star line stone way point gate wave crest path field works forge light bay
`.split(/\s+/).filter(Boolean);

export const TEAM_MASCOTS: readonly string[] = [
  'Falcons', 'Rovers', 'Wanderers', 'Comets', 'Otters', 'Foxes', 'Harriers', 'Mariners', 'Stallions', 'Wolves',
  'Herons', 'Lynx', 'Pilots', 'Badgers', 'Kestrels', 'Rangers', 'Thunder', 'Royals', 'Miners', 'Voyagers',
];

export const JOURNAL_WORDS: readonly string[] = ['Frontiers', 'Reports', 'Letters', 'Review', 'Proceedings', 'Advances', 'Bulletin'];
