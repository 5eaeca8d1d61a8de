using Leibniz.DeviceCheck;

return DeviceCheckProgram.Run(args, Console.Out);
