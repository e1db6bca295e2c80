// The subjects records are about (the team's machines), as a catalogue the activity loads and the workflow keeps.
export interface Subject {
  id: string;
  name: string;
}

export function findSubject(subjects: readonly Subject[], id: string): Subject | undefined {
  return subjects.find((subject) => subject.id === id);
}
