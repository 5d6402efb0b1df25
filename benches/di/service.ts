// The work both servers do: a service looked up by the route (shared by the functional and the
// decorated servers so that the only difference is how the route is declared).
export class UsersService {
  private readonly names = ['Ada', 'Grace', 'Edsger', 'Barbara'];
  find(id: string): { id: string; name: string } {
    return { id, name: this.names[id.length & 3]! };
  }
}
