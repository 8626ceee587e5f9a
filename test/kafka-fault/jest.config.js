// The relay and projector on a real three-node Kafka cluster whose nodes the tests kill: a project
// of its own, so that its few minutes run beside the other projects' tests, not inside them.
module.exports = {
  displayName: 'kafka-fault',
  preset: '../../jest.postgres-preset.js',
  rootDir: __dirname,
};
