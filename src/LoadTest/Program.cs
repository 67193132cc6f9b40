Console.WriteLine("Hyperstore load client: not yet implemented.");
return 0;
