module goplnet.local/timebench

go 1.19
