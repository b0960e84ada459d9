using Certometer.TestInfrastructure;

[assembly: AssemblyFixture(typeof(SharedInfrastructure))]
