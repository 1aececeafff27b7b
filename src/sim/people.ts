/**
 * Who the simulated parcels go to: every EU member state, weighted by population (Eurostat, 1 January
 * 2024, millions, rounded), with a few first names, surnames, streets and cities of each and its telephone
 * country code. Small lists, written in Latin script, combined at random: plausible, not anyone.
 */
import type { Prng } from './prng.js';
import { Weighted } from './prng.js';

export interface CountryPeople {
  readonly population: number;
  readonly dial: string;
  readonly first: readonly string[];
  readonly last: readonly string[];
  readonly streets: readonly string[];
  readonly cities: readonly string[];
}

const c = (population: number, dial: string, first: string, last: string, streets: string, cities: string): CountryPeople => ({
  population, dial, first: first.split('|'), last: last.split('|'), streets: streets.split('|'), cities: cities.split('|'),
});

export const EU_PEOPLE: Readonly<Record<string, CountryPeople>> = {
  AT: c(9.2, '43', 'Lukas|Anna|Maximilian|Lena|Tobias', 'Gruber|Huber|Bauer|Wagner|Pichler', 'Hauptstraße|Bahnhofstraße|Kirchengasse|Schulweg', 'Wien|Graz|Linz|Salzburg|Innsbruck'),
  BE: c(11.8, '32', 'Lucas|Emma|Noah|Olivia|Arthur', 'Peeters|Janssens|Maes|Dubois|Lambert', 'Kerkstraat|Rue de la Station|Stationsstraat|Rue Haute', 'Antwerpen|Gent|Liège|Bruxelles|Namur'),
  BG: c(6.4, '359', 'Georgi|Maria|Ivan|Elena|Dimitar', 'Ivanov|Petrova|Georgiev|Dimitrova|Nikolov', 'ul. Rakovski|bul. Vitosha|ul. Shipka|ul. Graf Ignatiev', 'Sofia|Plovdiv|Varna|Burgas|Ruse'),
  CY: c(0.9, '357', 'Andreas|Maria|Georgios|Eleni|Christos', 'Georgiou|Konstantinou|Ioannou|Charalambous', 'Makariou Avenue|Ledras Street|Archbishop Kyprianou', 'Nicosia|Limassol|Larnaca|Paphos'),
  CZ: c(10.9, '420', 'Jakub|Tereza|Jan|Eliška|Tomáš', 'Novák|Svobodová|Dvořák|Černá|Procházka', 'Náměstí Míru|Husova|Masarykova|Palackého', 'Praha|Brno|Ostrava|Plzeň|Olomouc'),
  DE: c(83.4, '49', 'Lukas|Marie|Leon|Sophie|Jonas|Mia', 'Müller|Schmidt|Schneider|Fischer|Weber|Meyer', 'Hauptstraße|Schulstraße|Gartenstraße|Bahnhofstraße|Lindenweg', 'Berlin|Hamburg|München|Köln|Frankfurt am Main|Leipzig'),
  DK: c(6.0, '45', 'William|Ida|Noah|Emma|Oscar', 'Nielsen|Jensen|Hansen|Pedersen|Andersen', 'Vestergade|Nørregade|Østergade|Søndergade', 'København|Aarhus|Odense|Aalborg'),
  EE: c(1.4, '372', 'Rasmus|Sofia|Robin|Eliise|Martin', 'Tamm|Saar|Sepp|Mägi|Kask', 'Pärnu mnt|Narva mnt|Tartu mnt|Mere pst', 'Tallinn|Tartu|Narva|Pärnu'),
  ES: c(48.6, '34', 'Hugo|Lucía|Martín|Sofía|Pablo|Martina', 'García|Rodríguez|González|Fernández|López|Martínez', 'Calle Mayor|Calle Real|Avenida de la Constitución|Calle del Sol', 'Madrid|Barcelona|Valencia|Sevilla|Zaragoza|Málaga'),
  FI: c(5.6, '358', 'Eino|Aino|Leo|Helmi|Väinö', 'Korhonen|Virtanen|Mäkinen|Nieminen|Mäkelä', 'Mannerheimintie|Hämeenkatu|Kauppakatu|Rantatie', 'Helsinki|Espoo|Tampere|Turku|Oulu'),
  FR: c(68.4, '33', 'Gabriel|Louise|Raphaël|Jade|Léo|Ambre', 'Martin|Bernard|Dubois|Thomas|Robert|Petit', 'rue de la République|rue Victor Hugo|avenue Jean Jaurès|rue de la Gare|place de l’Église', 'Paris|Marseille|Lyon|Toulouse|Bordeaux|Lille'),
  GR: c(10.4, '30', 'Georgios|Maria|Konstantinos|Eleni|Dimitrios', 'Papadopoulos|Pappa|Oikonomou|Georgiou|Vlachos', 'Odos Ermou|Leoforos Syngrou|Odos Patision|Odos Egnatia', 'Athina|Thessaloniki|Patra|Irakleio|Larisa'),
  HR: c(3.9, '385', 'Luka|Mia|David|Lucija|Ivan', 'Horvat|Kovačević|Babić|Marić|Jurić', 'Ilica|Vukovarska|Ulica kralja Tomislava|Savska cesta', 'Zagreb|Split|Rijeka|Osijek|Zadar'),
  HU: c(9.6, '36', 'Bence|Hanna|Máté|Anna|Levente', 'Nagy|Kovács|Tóth|Szabó|Horváth', 'Fő utca|Kossuth Lajos utca|Petőfi Sándor utca|Rákóczi út', 'Budapest|Debrecen|Szeged|Miskolc|Pécs'),
  IE: c(5.3, '353', 'Jack|Grace|Noah|Emily|Conor', 'Murphy|Kelly|O’Sullivan|Walsh|Byrne', 'Main Street|Church Road|Bridge Street|Green Lane', 'Dublin|Cork|Galway|Limerick|Waterford'),
  IT: c(59.0, '39', 'Leonardo|Sofia|Francesco|Giulia|Alessandro|Aurora', 'Rossi|Russo|Ferrari|Esposito|Bianchi|Romano', 'Via Roma|Via Garibaldi|Corso Italia|Via Mazzini|Piazza Duomo', 'Roma|Milano|Napoli|Torino|Palermo|Bologna'),
  LT: c(2.9, '370', 'Lukas|Emilija|Matas|Austėja|Jonas', 'Kazlauskas|Jankauskienė|Petrauskas|Stankevičius', 'Gedimino pr.|Laisvės al.|Vilniaus g.|Basanavičiaus g.', 'Vilnius|Kaunas|Klaipėda|Šiauliai'),
  LU: c(0.67, '352', 'Gabriel|Emma|Léo|Mia|Luca', 'Schmit|Muller|Weber|Hoffmann|Wagner', 'Grand-Rue|Rue de la Gare|Avenue de la Liberté|Route d’Arlon', 'Luxembourg|Esch-sur-Alzette|Differdange|Dudelange'),
  LV: c(1.9, '371', 'Roberts|Sofija|Markuss|Alise|Jānis', 'Bērziņš|Kalniņa|Ozols|Liepiņa|Krūmiņš', 'Brīvības iela|Elizabetes iela|Tērbatas iela|Kr. Valdemāra iela', 'Rīga|Daugavpils|Liepāja|Jelgava'),
  MT: c(0.56, '356', 'Luke|Emma|Jake|Maria|Matthew', 'Borg|Camilleri|Vella|Farrugia|Zammit', 'Triq il-Kbira|Triq ir-Repubblika|Triq San Pawl|Triq il-Merkanti', 'Valletta|Birkirkara|Sliema|Mosta|Qormi'),
  NL: c(17.9, '31', 'Noah|Emma|Sem|Julia|Liam|Mila', 'de Jong|Jansen|de Vries|van den Berg|Bakker|Visser', 'Kerkstraat|Dorpsstraat|Schoolstraat|Molenweg|Stationsweg', 'Amsterdam|Rotterdam|Den Haag|Utrecht|Eindhoven|Groningen'),
  PL: c(36.6, '48', 'Antoni|Zofia|Jan|Hanna|Aleksander|Julia', 'Nowak|Kowalska|Wiśniewski|Wójcik|Kowalczyk|Kamińska', 'ul. Polna|ul. Leśna|ul. Słoneczna|ul. Mickiewicza|ul. Kościuszki', 'Warszawa|Kraków|Łódź|Wrocław|Poznań|Gdańsk'),
  PT: c(10.6, '351', 'Francisco|Maria|Afonso|Leonor|Tomás', 'Silva|Santos|Ferreira|Pereira|Oliveira', 'Rua Direita|Avenida da Liberdade|Rua do Comércio|Rua 25 de Abril', 'Lisboa|Porto|Braga|Coimbra|Faro'),
  RO: c(19.1, '40', 'Andrei|Maria|David|Ioana|Alexandru', 'Popescu|Ionescu|Popa|Stan|Dumitru', 'Strada Mihai Eminescu|Bulevardul Unirii|Strada Republicii|Calea Victoriei', 'București|Cluj-Napoca|Timișoara|Iași|Constanța'),
  SE: c(10.6, '46', 'William|Alice|Liam|Olivia|Hugo', 'Andersson|Johansson|Karlsson|Nilsson|Eriksson', 'Storgatan|Drottninggatan|Kungsgatan|Skolgatan', 'Stockholm|Göteborg|Malmö|Uppsala|Västerås'),
  SI: c(2.1, '386', 'Luka|Zala|Jakob|Eva|Filip', 'Novak|Horvat|Krajnc|Kovačič|Zupančič', 'Slovenska cesta|Prešernova ulica|Glavni trg|Celovška cesta', 'Ljubljana|Maribor|Celje|Kranj|Koper'),
  SK: c(5.4, '421', 'Jakub|Sofia|Samuel|Ema|Michal', 'Horváth|Kováčová|Varga|Tóthová|Nagy', 'Hlavná|Štúrova|Námestie SNP|Obchodná', 'Bratislava|Košice|Prešov|Žilina|Nitra'),
};

export const EU_DESTINATIONS = new Weighted(Object.entries(EU_PEOPLE).map(([code, p]) => [code, p.population] as const));

/** Letters an e-mail's local part can keep: accents dropped, others removed. */
function asciiSlug(s: string): string {
  return s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

/** Where the house number comes before the street name. */
const NUMBER_FIRST: ReadonlySet<string> = new Set(['FR', 'LU', 'IE', 'MT', 'CY']);

const MAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example', 'post.example'];

export interface Person {
  readonly name: string;
  readonly street: string;
  readonly city: string;
  readonly email?: string;
  readonly phone?: string;
}

export function person(rng: Prng, country: string): Person {
  const p = EU_PEOPLE[country];
  if (p === undefined) throw new RangeError(`no people for ${country}`);
  const first = rng.pick(p.first);
  const last = rng.pick(p.last);
  const number = rng.int(1, 180);
  const name = rng.pick(p.streets);
  const street = NUMBER_FIRST.has(country) ? `${number} ${name}` : `${name} ${number}`;
  const email = rng.chance(0.9) ? `${asciiSlug(first)}.${asciiSlug(last)}${rng.int(1, 999)}@${rng.pick(MAIL_DOMAINS)}` : undefined;
  const phone = rng.chance(0.85) ? `+${p.dial} ${rng.digits(3)} ${rng.digits(3)} ${rng.digits(3)}` : undefined;
  return { name: `${first} ${last}`, street, city: rng.pick(p.cities), ...(email !== undefined && { email }), ...(phone !== undefined && { phone }) };
}
