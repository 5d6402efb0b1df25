// dataset.json: 50 items, after the rules of HttpArena's scripts/generate_dataset.py (names from
// an adjective and a noun, categories in turn, one to four tags from a pool, a rating), with every
// number an integer as the profile pages require (price × quantity × m must be exact) and the ten
// categories of the dataset HttpArena publishes (its crud load lists category=office).
import type { Item } from '../rules.js';
import { SeededRandom } from './random.js';

export const CATEGORIES = ['electronics', 'tools', 'clothing', 'home', 'sports', 'books', 'toys', 'garden', 'office', 'auto'];
const ADJECTIVES = ['Alpha', 'Pro', 'Ultra', 'Nano', 'Prime', 'Core', 'Flex', 'Edge', 'Swift', 'Nova'];
const NOUNS = ['Widget', 'Gadget', 'Module', 'Sensor', 'Driver', 'Relay', 'Switch', 'Valve', 'Gear', 'Link'];
export const TAGS = ['fast', 'new', 'popular', 'sale', 'limited', 'premium', 'eco', 'compact', 'heavy-duty', 'wireless'];

export function generateDataset(size = 50): Item[] {
  const random = new SeededRandom(42);
  const items: Item[] = [];
  for (let i = 0; i < size; i++) {
    items.push({
      id: i + 1,
      name: `${ADJECTIVES[i % ADJECTIVES.length]} ${NOUNS[(i * 7) % NOUNS.length]}`,
      category: CATEGORIES[i % CATEGORIES.length]!,
      price: random.int(1, 500),
      quantity: random.int(1, 100),
      active: random.next() < 0.5,
      tags: random.sample(TAGS, random.int(1, 4)),
      rating: { score: random.int(1, 50), count: random.int(1, 500) },
    });
  }
  return items;
}
